import { describe, expect, it } from "vitest";
import type { z } from "zod";
import {
  CATEGORY_COLORS,
  categoryKey,
  categoryNameSchema,
  colorSchema,
  normalizeCategoryName,
  normalizeTagName,
  noteSchema,
  tagKey,
  tagNameSchema,
} from "./names";

// The first issue's message, or the parsed value when the input is accepted.
function parse(schema: z.ZodType<string, string>, input: unknown): { ok: string } | { error: string | undefined } {
  const r = schema.safeParse(input);
  return r.success ? { ok: r.data } : { error: r.error.issues[0]?.message };
}

describe("normalizeTagName", () => {
  it("keeps Japanese names as they are", () => {
    expect(normalizeTagName("機械学習")).toBe("機械学習");
    expect(normalizeTagName("ひらがな")).toBe("ひらがな");
  });

  it("turns half-width katakana into full-width (NFKC)", () => {
    expect(normalizeTagName("ｶﾀｶﾅ")).toBe("カタカナ");
    expect(normalizeTagName("ｶﾞｲﾄﾞ")).toBe("ガイド"); // the voiced mark combines with the kana
  });

  it("turns full-width Latin and ＃ into ASCII and strips the #", () => {
    expect(normalizeTagName("＃ＡＩ")).toBe("AI");
    expect(normalizeTagName("ＧＰＴ－４")).toBe("GPT-4");
  });

  it("strips any number of leading # and the space after them", () => {
    expect(normalizeTagName("#ai")).toBe("ai");
    expect(normalizeTagName("###ai")).toBe("ai");
    expect(normalizeTagName("  # ai")).toBe("ai");
    expect(normalizeTagName("#")).toBe("");
  });

  it("keeps # that is not leading", () => {
    expect(normalizeTagName("C#")).toBe("C#");
    expect(normalizeTagName("a#b")).toBe("a#b");
  });

  it("trims and collapses whitespace runs, including the ideographic space", () => {
    expect(normalizeTagName("  machine   learning ")).toBe("machine learning");
    expect(normalizeTagName("機械\u3000\u3000学習")).toBe("機械 学習");
    expect(normalizeTagName("\u3000機械学習\u3000")).toBe("機械学習");
    expect(normalizeTagName("a\u00a0b")).toBe("a b"); // NBSP
  });

  it("keeps case (the key folds it)", () => {
    expect(normalizeTagName("TypeScript")).toBe("TypeScript");
  });

  it("keeps emoji", () => {
    expect(normalizeTagName("🚀 launch")).toBe("🚀 launch");
  });
});

describe("tagKey", () => {
  it("matches names that differ only in case, width, # and spacing", () => {
    const key = tagKey("AI Tools");
    expect(key).toBe("ai tools");
    expect(tagKey("＃ａｉ　ｔｏｏｌｓ")).toBe(key);
    expect(tagKey("#AI   tools ")).toBe(key);
  });

  it("leaves Japanese alone", () => {
    expect(tagKey("機械学習")).toBe("機械学習");
    expect(tagKey("ｶﾀｶﾅ")).toBe(tagKey("カタカナ"));
  });
});

describe("normalizeCategoryName / categoryKey", () => {
  it("NFKC-normalises, trims and collapses whitespace", () => {
    expect(normalizeCategoryName("  Ｒｅａｄ\u3000 later ")).toBe("Read later");
    expect(normalizeCategoryName("ｶﾀｶﾅ")).toBe("カタカナ");
  });

  it("does not strip #", () => {
    expect(normalizeCategoryName("#1 picks")).toBe("#1 picks");
    expect(normalizeCategoryName("＃１")).toBe("#1");
  });

  it("folds case for the key", () => {
    expect(categoryKey("Read  Later")).toBe("read later");
    expect(categoryKey("ＲＥＡＤ later")).toBe(categoryKey("read later"));
  });
});

describe("tagNameSchema", () => {
  it("outputs the normalised name", () => {
    expect(parse(tagNameSchema, "機械学習")).toEqual({ ok: "機械学習" });
    expect(parse(tagNameSchema, "ｶﾀｶﾅ")).toEqual({ ok: "カタカナ" });
    expect(parse(tagNameSchema, "＃ＡＩ")).toEqual({ ok: "AI" });
    expect(parse(tagNameSchema, "  large\u3000\u3000language  models ")).toEqual({ ok: "large language models" });
  });

  it("asks for a name when nothing is left", () => {
    for (const input of ["", "   ", "\u3000", "#", "＃＃", " # "]) {
      expect(parse(tagNameSchema, input)).toEqual({ error: "A tag needs a name." });
    }
  });

  it("allows 50 code points and rejects 51, counting emoji as one", () => {
    const fifty = "😀".repeat(50); // 100 UTF-16 units
    expect(fifty.length).toBe(100);
    expect(parse(tagNameSchema, fifty)).toEqual({ ok: fifty });
    expect(parse(tagNameSchema, fifty + "😀")).toEqual({ error: "Tag names can be at most 50 characters." });
    expect(parse(tagNameSchema, "a".repeat(50))).toEqual({ ok: "a".repeat(50) });
    expect(parse(tagNameSchema, "a".repeat(51))).toEqual({ error: "Tag names can be at most 50 characters." });
    expect(parse(tagNameSchema, "学".repeat(51))).toEqual({ error: "Tag names can be at most 50 characters." });
  });

  it("counts length after normalisation", () => {
    // 50 characters wrapped in spaces and a leading # are fine.
    expect(parse(tagNameSchema, `  #${"a".repeat(50)}  `)).toEqual({ ok: "a".repeat(50) });
  });

  it("rejects control characters, including \\n and \\t that collapsing would hide", () => {
    for (const input of ["a\u0000b", "bell\u0007", "two\nlines", "tab\tbed", "\u007f", "c1\u0085", "\u001b[31mred"]) {
      expect(parse(tagNameSchema, input)).toEqual({ error: "Tag names can't contain control characters." });
    }
  });

  it("rejects bidi overrides and isolates", () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
      expect(parse(tagNameSchema, `ab${String.fromCodePoint(cp)}cd`)).toEqual({
        error: "Tag names can't contain control characters.",
      });
    }
  });

  it("reports control characters before length", () => {
    expect(parse(tagNameSchema, "a".repeat(60) + "\n")).toEqual({ error: "Tag names can't contain control characters." });
  });

  it("allows zero-width joiners in emoji sequences", () => {
    const family = "👨‍👩‍👧";
    expect(parse(tagNameSchema, family)).toEqual({ ok: family });
  });

  it("rejects non-strings", () => {
    expect(tagNameSchema.safeParse(42).success).toBe(false);
    expect(tagNameSchema.safeParse(null).success).toBe(false);
  });
});

describe("categoryNameSchema", () => {
  it("outputs the normalised name and keeps #", () => {
    expect(parse(categoryNameSchema, "  Ｒｅａｄ　later ")).toEqual({ ok: "Read later" });
    expect(parse(categoryNameSchema, "#1 picks")).toEqual({ ok: "#1 picks" });
    expect(parse(categoryNameSchema, "#")).toEqual({ ok: "#" });
    expect(parse(categoryNameSchema, "あとで読む")).toEqual({ ok: "あとで読む" });
  });

  it("asks for a name when empty", () => {
    expect(parse(categoryNameSchema, "")).toEqual({ error: "A category needs a name." });
    expect(parse(categoryNameSchema, " \u3000 ")).toEqual({ error: "A category needs a name." });
  });

  it("allows 40 code points and rejects 41", () => {
    const forty = "🎉".repeat(40);
    expect(parse(categoryNameSchema, forty)).toEqual({ ok: forty });
    expect(parse(categoryNameSchema, forty + "x")).toEqual({ error: "Category names can be at most 40 characters." });
    expect(parse(categoryNameSchema, "b".repeat(41))).toEqual({ error: "Category names can be at most 40 characters." });
  });

  it("rejects control characters and bidi controls", () => {
    for (const input of ["a\tb", "a\nb", "a\u0000", "\u202eevil", "x\u2066y"]) {
      expect(parse(categoryNameSchema, input)).toEqual({ error: "Category names can't contain control characters." });
    }
  });
});

describe("noteSchema", () => {
  it("allows the empty note", () => {
    expect(parse(noteSchema, "")).toEqual({ ok: "" });
    expect(parse(noteSchema, " \n\t ")).toEqual({ ok: "" });
  });

  it("trims the ends but keeps line breaks, tabs and spacing inside", () => {
    expect(parse(noteSchema, "  first line\n\n\tindented  second\n")).toEqual({ ok: "first line\n\n\tindented  second" });
  });

  it("turns CRLF and CR line breaks into \\n", () => {
    expect(parse(noteSchema, "a\r\nb\rc")).toEqual({ ok: "a\nb\nc" });
  });

  it("NFC-normalises but keeps full-width text", () => {
    expect(parse(noteSchema, "cafe\u0301")).toEqual({ ok: "café" });
    expect(parse(noteSchema, "ＡＩの勉強")).toEqual({ ok: "ＡＩの勉強" });
    expect(parse(noteSchema, "ｶﾀｶﾅ")).toEqual({ ok: "ｶﾀｶﾅ" });
  });

  it("allows 10,000 code points and rejects 10,001", () => {
    const max = "😀".repeat(10_000);
    expect(parse(noteSchema, max)).toEqual({ ok: max });
    expect(parse(noteSchema, max + "a")).toEqual({ error: "Notes can be at most 10,000 characters." });
    expect(parse(noteSchema, "a".repeat(10_001))).toEqual({ error: "Notes can be at most 10,000 characters." });
  });

  it("counts length after trimming", () => {
    expect(parse(noteSchema, `  ${"a".repeat(10_000)}\n\n`)).toEqual({ ok: "a".repeat(10_000) });
  });

  it("rejects control characters other than \\n, \\r and \\t", () => {
    for (const input of ["a\u0000", "bell\u0007", "\u001b[0m", "del\u007f", "\u202eevil", "x\u2069"]) {
      expect(parse(noteSchema, input)).toEqual({ error: "Notes can't contain control characters." });
    }
  });
});

describe("colorSchema", () => {
  it("accepts #rrggbb and lower-cases it", () => {
    expect(parse(colorSchema, "#3b82f6")).toEqual({ ok: "#3b82f6" });
    expect(parse(colorSchema, "#3B82F6")).toEqual({ ok: "#3b82f6" });
    expect(parse(colorSchema, "#AbCdEf")).toEqual({ ok: "#abcdef" });
  });

  it("rejects anything else with one message", () => {
    for (const input of ["3b82f6", "#3b82f", "#3b82f60", "#fff", "#gggggg", "red", "", " #3b82f6", "#3b82f6\n", "＃３ｂ８２ｆ６"]) {
      expect(parse(colorSchema, input)).toEqual({ error: "Pick a colour like #3b82f6." });
    }
  });
});

describe("CATEGORY_COLORS", () => {
  it("has ten distinct valid colours", () => {
    expect(CATEGORY_COLORS).toHaveLength(10);
    expect(new Set(CATEGORY_COLORS).size).toBe(10);
    for (const c of CATEGORY_COLORS) expect(parse(colorSchema, c)).toEqual({ ok: c });
  });
});
