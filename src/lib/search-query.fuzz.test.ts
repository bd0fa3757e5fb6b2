import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSearchQuery, parseSearchQuery, SEARCH_LIMITS, TOO_LONG_ERROR, TOO_MANY_PARTS_ERROR } from "./search-query";

// Characters NFKC expands (ﷺ → 18 characters, four words; ㍻ → 平成; ｶﾞ → ガ), quotes of every
// kind the parser knows, operator pieces and whitespace: the parser's hard cases.
const TRICKY = [
  "ﷺ",
  "ﷻ",
  "㍻",
  "ｶﾞ",
  "＂",
  '"',
  "“",
  "”",
  "「",
  "」",
  "-",
  "#",
  ":",
  "from:",
  "tag:",
  "before:",
  "is:",
  "has:",
  "@",
  " ",
  "\t",
  "\n",
  "\u3000",
  "\u0301",
];
const tricky = fc
  .array(fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 6 }), fc.string({ unit: "grapheme", maxLength: 4 })), {
    maxLength: 120,
  })
  .map((a) => a.join(""));
const anyText = fc.oneof(tricky, fc.string({ unit: "binary", maxLength: 600 }));

describe("parseSearchQuery, property-based", () => {
  it("never throws, answers fast, and keeps within its bounds whatever it is given", () => {
    fc.assert(
      fc.property(anyText, (input) => {
        const t0 = performance.now();
        const q = parseSearchQuery(input);
        expect(performance.now() - t0).toBeLessThan(100);
        const parts =
          q.terms.length +
          q.from.length +
          q.tags.length +
          q.categories.length +
          q.folders.length +
          q.has.length +
          q.is.length +
          q.lang.length;
        // Whatever errors say, what would be searched stays bounded.
        if (q.errors.length === 0) expect(parts).toBeLessThanOrEqual(SEARCH_LIMITS.maxParts);
      }),
      { numRuns: 2_000 },
    );
  });

  it("an error-free query formats to text that parses back to the same query", () => {
    fc.assert(
      fc.property(tricky, (input) => {
        const q = parseSearchQuery(input);
        fc.pre(q.errors.length === 0);
        const again = parseSearchQuery(formatSearchQuery(q));
        expect({ ...again, errors: [] }).toEqual({ ...q, errors: [] });
      }),
      { numRuns: 1_000 },
    );
  });
});

describe("search bounds after NFKC", () => {
  it("refuses a query that NFKC makes longer than the cap, though it was short as typed", () => {
    const typed = "ﷺ".repeat(40); // 40 characters typed, 720 after NFKC, 160 words
    expect(typed.length).toBeLessThanOrEqual(SEARCH_LIMITS.maxChars);
    const q = parseSearchQuery(typed);
    expect(q.errors).toEqual([TOO_LONG_ERROR]);
    expect(q.terms).toEqual([]);
  });

  it("refuses more words and operators than the cap, and accepts exactly the cap", () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
    expect(parseSearchQuery(words(SEARCH_LIMITS.maxParts)).errors).toEqual([]);
    expect(parseSearchQuery(words(SEARCH_LIMITS.maxParts + 1)).errors).toEqual([TOO_MANY_PARTS_ERROR]);
    expect(parseSearchQuery(`${words(SEARCH_LIMITS.maxParts)} from:a`).errors).toEqual([TOO_MANY_PARTS_ERROR]);
  });
});
