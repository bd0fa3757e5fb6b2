import { describe, expect, it } from "vitest";
import { highlight, type HighlightSpec, type Piece } from "./highlight";

const spec = (terms: string[], stems: string[] = []): HighlightSpec => ({ terms, stems });
// Compact view of the pieces: marked parts in [brackets].
const show = (pieces: Piece[]) => pieces.map((p) => (p.mark ? `[${p.text}]` : p.text)).join("");

// Pieces must always rebuild the text, never be empty, and alternate between marked and not.
function checked(text: string, s: HighlightSpec): Piece[] {
  const pieces = highlight(text, s);
  expect(pieces.map((p) => p.text).join("")).toBe(text);
  for (const [i, p] of pieces.entries()) {
    expect(p.text).not.toBe("");
    if (i > 0) expect(p.mark).not.toBe(pieces[i - 1]?.mark);
  }
  return pieces;
}

describe("highlight: terms", () => {
  it("returns one unmarked piece for an empty spec, and none for empty text", () => {
    expect(checked("Hello world", spec([]))).toEqual([{ text: "Hello world", mark: false }]);
    expect(highlight("", spec(["a"], ["run"]))).toEqual([]);
    expect(highlight("", spec([]))).toEqual([]);
  });

  it("returns one unmarked piece when nothing matches", () => {
    expect(checked("Hello world", spec(["xyz"], ["zz"]))).toEqual([{ text: "Hello world", mark: false }]);
  });

  it("matches English case-insensitively", () => {
    expect(checked("TypeScript is typescript", spec(["typescript"]))).toEqual([
      { text: "TypeScript", mark: true },
      { text: " is ", mark: false },
      { text: "typescript", mark: true },
    ]);
    expect(show(checked("HELLO there", spec(["hello"])))).toBe("[HELLO] there");
  });

  it("matches substrings inside words", () => {
    expect(show(checked("Unbelievable", spec(["believ"])))).toBe("Un[believ]able");
  });

  it("marks the whole text when the term covers it", () => {
    expect(checked("AI", spec(["ai"]))).toEqual([{ text: "AI", mark: true }]);
  });

  it("matches Japanese substrings of 1, 2 and 4 characters", () => {
    const text = "機械学習を始めた";
    expect(show(checked(text, spec(["学"])))).toBe("機械[学]習を始めた");
    expect(show(checked(text, spec(["学習"])))).toBe("機械[学習]を始めた");
    expect(show(checked(text, spec(["機械学習"])))).toBe("[機械学習]を始めた");
    expect(show(checked("学習の学習", spec(["学習"])))).toBe("[学習]の[学習]");
  });

  it("matches full-width letters and digits in the text with ASCII terms", () => {
    expect(show(checked("ＡＩの研究", spec(["ai"])))).toBe("[ＡＩ]の研究");
    expect(show(checked("ＧＰＴ－４を使う", spec(["gpt"])))).toBe("[ＧＰＴ]－４を使う");
    expect(show(checked("ＧＰＴ－４を使う", spec(["gpt-4"])))).toBe("[ＧＰＴ－４]を使う");
    expect(show(checked("ｃｈａｔ", spec(["chat"])))).toBe("[ｃｈａｔ]");
  });

  it("matches ASCII in the text with full-width terms", () => {
    expect(show(checked("AI research", spec(["ＡＩ"])))).toBe("[AI] research");
  });

  it("matches across different whitespace", () => {
    expect(show(checked("large\nlanguage model", spec(["large language"])))).toBe("[large\nlanguage] model");
    expect(show(checked("機械\u3000学習", spec(["機械 学習"])))).toBe("[機械\u3000学習]");
  });

  it("lower-cases non-ASCII letters", () => {
    expect(show(checked("CAFÉ Straße", spec(["café", "straße"])))).toBe("[CAFÉ] [Straße]");
  });

  it("keeps indices aligned around letters whose lower case is longer", () => {
    // "İ".toLowerCase() is two units; it must not shift what comes after it.
    expect(show(checked("İstanbul trip", spec(["trip"])))).toBe("İstanbul [trip]");
  });

  it("ignores empty terms", () => {
    expect(checked("abc", spec(["", "b"]))).toEqual([
      { text: "a", mark: false },
      { text: "b", mark: true },
      { text: "c", mark: false },
    ]);
  });
});

describe("highlight: stems", () => {
  it("marks whole words that start with a stem", () => {
    expect(show(checked("Running runs, a runner ran; rerun", spec([], ["run"])))).toBe("[Running] [runs], a [runner] ran; rerun");
  });

  it("ignores stems shorter than two characters", () => {
    expect(show(checked("a bad apple", spec([], ["a", ""])))).toBe("a bad apple");
    expect(show(checked("a bad apple", spec([], ["ap"])))).toBe("a bad [apple]");
  });

  it("treats letters and digits as word characters, Unicode-aware", () => {
    expect(show(checked("model2 models-x", spec([], ["model"])))).toBe("[model2] [models]-x");
    expect(show(checked("naïvely naive", spec([], ["naïv"])))).toBe("[naïvely] naive");
    expect(show(checked("cafe\u0301s", spec([], ["cafe"])))).toBe("[cafe\u0301s]"); // combining accent stays in the word
  });

  it("ends an English word where Japanese text starts", () => {
    expect(show(checked("Runningが好き", spec([], ["run"])))).toBe("[Running]が好き");
    expect(show(checked("学習running", spec([], ["run"])))).toBe("学習[running]");
  });

  it("matches full-width words", () => {
    expect(show(checked("Ｒｕｎｎｉｎｇ", spec([], ["run"])))).toBe("[Ｒｕｎｎｉｎｇ]");
  });

  it("combines with terms", () => {
    expect(show(checked("Running with 機械学習", spec(["学習"], ["run"])))).toBe("[Running] with 機械[学習]");
  });
});

describe("highlight: merging", () => {
  it("merges overlapping matches of different terms", () => {
    expect(checked("abcdef", spec(["abcd", "cdef"]))).toEqual([{ text: "abcdef", mark: true }]);
    expect(show(checked("xx機械学習xx", spec(["機械学", "械学習"])))).toBe("xx[機械学習]xx");
  });

  it("merges overlapping matches of one term", () => {
    expect(show(checked("baaab", spec(["aa"])))).toBe("b[aaa]b");
  });

  it("merges adjacent matches", () => {
    expect(checked("foobar baz", spec(["foo", "bar"]))).toEqual([
      { text: "foobar", mark: true },
      { text: " baz", mark: false },
    ]);
  });

  it("merges a term inside a stem-matched word", () => {
    expect(show(checked("Runners ran", spec(["unn"], ["run"])))).toBe("[Runners] ran");
  });

  it("merges duplicate terms", () => {
    expect(show(checked("ai AI", spec(["ai", "AI", "ai"])))).toBe("[ai] [AI]");
  });
});

describe("highlight: emoji", () => {
  it("leaves emoji next to a match whole", () => {
    expect(checked("😀AI😀", spec(["ai"]))).toEqual([
      { text: "😀", mark: false },
      { text: "AI", mark: true },
      { text: "😀", mark: false },
    ]);
    expect(show(checked("🚀launch day", spec([], ["launch"])))).toBe("🚀[launch] day");
  });

  it("marks emoji that are part of a term", () => {
    expect(show(checked("go 🚀 now 🚀", spec(["🚀"])))).toBe("go [🚀] now [🚀]");
    expect(show(checked("a👍b", spec(["a👍"])))).toBe("[a👍]b");
  });

  it("never splits a surrogate pair, even for a term that is half of one", () => {
    const text = "x😀y";
    const high = "😀"[0] as string;
    const low = "😀"[1] as string;
    expect(show(checked(text, spec([high])))).toBe("x[😀]y");
    expect(show(checked(text, spec([low])))).toBe("x[😀]y");
  });
});

describe("highlight: concatenation invariant", () => {
  const texts = ["", "plain", "😀👍🏽👨‍👩‍👧 family", "ＡＩとＭＬ、機械学習とAIの話。Running runs!", "İİİ ǅ ﬁne Straße", "\u0000control\tchars\n"];
  const specs = [spec([]), spec(["a"], ["ru"]), spec(["ai", "学習", "😀", "ss"], ["fi"]), spec(["i", "ı", "\u0307"])];
  for (const text of texts) {
    for (const s of specs) {
      it(`rebuilds ${JSON.stringify(text)} for ${JSON.stringify(s)}`, () => {
        const pieces = checked(text, s);
        for (const p of pieces) {
          // No piece starts with a low surrogate or ends with a high one.
          expect(/^[\udc00-\udfff]/.test(p.text)).toBe(false);
          expect(/[\ud800-\udbff]$/.test(p.text)).toBe(false);
        }
      });
    }
  }
});
