import { describe, expect, it } from "vitest";
import { formatSearchQuery, isEmptyQuery, parseSearchQuery, type ParsedQuery } from "./search-query";

const EMPTY: ParsedQuery = {
  terms: [],
  from: [],
  tags: [],
  categories: [],
  folders: [],
  has: [],
  is: [],
  lang: [],
  before: null,
  after: null,
  errors: [],
};
// The expected query: the empty query with the given fields filled in.
const q = (fields: Partial<ParsedQuery>): ParsedQuery => ({ ...EMPTY, ...fields });
const word = (text: string, negate = false) => ({ text, phrase: false, negate });
const phrase = (text: string, negate = false) => ({ text, phrase: true, negate });
const op = <T>(value: T, negate = false) => ({ value, negate });
const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("parseSearchQuery: words and phrases", () => {
  it("parses nothing from empty or blank input", () => {
    expect(parseSearchQuery("")).toEqual(EMPTY);
    expect(parseSearchQuery("   \t\n\u3000 ")).toEqual(EMPTY);
  });

  it("lower-cases free words", () => {
    expect(parseSearchQuery("  Hello   WORLD ")).toEqual(q({ terms: [word("hello"), word("world")] }));
  });

  it("parses quoted phrases, lower-cased with whitespace collapsed", () => {
    expect(parseSearchQuery('"Large   Language\tModels"')).toEqual(q({ terms: [phrase("large language models")] }));
    expect(parseSearchQuery('a " padded " b')).toEqual(q({ terms: [word("a"), phrase("padded"), word("b")] }));
  });

  it("takes the rest of the input as the phrase when the quote is not closed", () => {
    expect(parseSearchQuery('foo "bar baz  ')).toEqual(q({ terms: [word("foo"), phrase("bar baz")] }));
    expect(parseSearchQuery('"from:bob #ai')).toEqual(q({ terms: [phrase("from:bob #ai")] }));
  });

  it("ignores empty phrases", () => {
    expect(parseSearchQuery('"" a "  " -""')).toEqual(q({ terms: [word("a")] }));
    expect(parseSearchQuery('"')).toEqual(EMPTY);
  });

  it("treats curly and Japanese quotes as phrase quotes", () => {
    expect(parseSearchQuery("“Large Language”")).toEqual(q({ terms: [phrase("large language")] }));
    expect(parseSearchQuery("「機械 学習」")).toEqual(q({ terms: [phrase("機械 学習")] }));
    expect(parseSearchQuery("”both right”")).toEqual(q({ terms: [phrase("both right")] }));
    // A corner-bracket phrase can hold straight quotes, and the other way round.
    expect(parseSearchQuery('「say "hi"」')).toEqual(q({ terms: [phrase('say "hi"')] }));
    expect(parseSearchQuery('"鍵「括弧"')).toEqual(q({ terms: [phrase("鍵「括弧")] }));
  });

  it("ends a word where a phrase begins", () => {
    expect(parseSearchQuery('say"hello there"now')).toEqual(q({ terms: [word("say"), phrase("hello there"), word("now")] }));
    expect(parseSearchQuery("これは「重要」です")).toEqual(q({ terms: [word("これは"), phrase("重要"), word("です")] }));
  });

  it("keeps Japanese runs as one term and splits on spaces", () => {
    expect(parseSearchQuery("機械学習")).toEqual(q({ terms: [word("機械学習")] }));
    expect(parseSearchQuery("機械 学習")).toEqual(q({ terms: [word("機械"), word("学習")] }));
    expect(parseSearchQuery("機械\u3000学習")).toEqual(q({ terms: [word("機械"), word("学習")] }));
  });

  it("NFKC-normalises the input", () => {
    expect(parseSearchQuery("ＧＰＴ４ ｶﾀｶﾅ")).toEqual(q({ terms: [word("gpt4"), word("カタカナ")] }));
    expect(parseSearchQuery("＂ａ　ｂ＂")).toEqual(q({ terms: [phrase("a b")] }));
  });

  it("keeps words with emoji whole", () => {
    expect(parseSearchQuery("🚀launch -👎")).toEqual(q({ terms: [word("🚀launch"), word("👎", true)] }));
  });
});

describe("parseSearchQuery: negation", () => {
  it("negates words and phrases", () => {
    expect(parseSearchQuery('-spam -"foo bar" -「広告」')).toEqual(
      q({ terms: [word("spam", true), phrase("foo bar", true), phrase("広告", true)] }),
    );
  });

  it("negates every operator", () => {
    expect(parseSearchQuery("-from:bob -#ads -tag:promo -category:work -has:media -is:favorite -lang:en")).toEqual(
      q({
        from: [op("bob", true)],
        tags: [op("ads", true), op("promo", true)],
        categories: [op("work", true)],
        has: [op("media", true)],
        is: [op("favorite", true)],
        lang: [op("en", true)],
      }),
    );
  });

  it("does not negate with a lone - or a - inside a word", () => {
    expect(parseSearchQuery("e-mail 2025-01-01 機械-学習 - foo -")).toEqual(
      q({ terms: [word("e-mail"), word("2025-01-01"), word("機械-学習"), word("-"), word("foo"), word("-")] }),
    );
  });

  it("negates once: a second - belongs to the word", () => {
    expect(parseSearchQuery("--x")).toEqual(q({ terms: [word("-x", true)] }));
  });

  it("accepts the full-width minus", () => {
    expect(parseSearchQuery("－スパム")).toEqual(q({ terms: [word("スパム", true)] }));
  });

  it("does not treat the katakana long-vowel mark as a minus", () => {
    expect(parseSearchQuery("ーー")).toEqual(q({ terms: [word("ーー")] }));
  });
});

describe("parseSearchQuery: operators", () => {
  it("from: strips @ and lower-cases", () => {
    expect(parseSearchQuery("from:Bob from:@Alice_01")).toEqual(q({ from: [op("bob"), op("alice_01")] }));
  });

  it("recognises operator names in any case", () => {
    expect(parseSearchQuery("FROM:Bob Tag:AI HAS:Media Is:Fav LANG:JA")).toEqual(
      q({ from: [op("bob")], tags: [op("ai")], has: [op("media")], is: [op("favorite")], lang: [op("ja")] }),
    );
  });

  it("#tag and tag: use the tag key", () => {
    expect(parseSearchQuery("#AI tag:ML ##double tag:#hash")).toEqual(q({ tags: [op("ai"), op("ml"), op("double"), op("hash")] }));
  });

  it("quoted tag names", () => {
    expect(parseSearchQuery('#"Machine  Learning" tag:"Deep Learning" #「機械 学習」 tag:“AI Safety”')).toEqual(
      q({ tags: [op("machine learning"), op("deep learning"), op("機械 学習"), op("ai safety")] }),
    );
  });

  it("Japanese and full-width hashtags", () => {
    expect(parseSearchQuery("#機械学習 ＃ＡＩ #ｶﾀｶﾅ")).toEqual(q({ tags: [op("機械学習"), op("ai"), op("カタカナ")] }));
  });

  it("ignores # followed by nothing or whitespace", () => {
    expect(parseSearchQuery("# foo #")).toEqual(q({ terms: [word("foo")] }));
    expect(parseSearchQuery('-# ## #""')).toEqual(EMPTY);
  });

  it("keeps # inside a word", () => {
    expect(parseSearchQuery("C# f#")).toEqual(q({ terms: [word("c#"), word("f#")] }));
  });

  it("category: uses the category key", () => {
    expect(parseSearchQuery('category:Work category:"Read  Later" category:＃１')).toEqual(
      q({ categories: [op("work"), op("read later"), op("#1")] }),
    );
  });

  it("folder: names an X bookmark folder by its key, negatable, and reads back", () => {
    expect(parseSearchQuery('folder:Reading folder:"Read  Later" -folder:ＡＩ')).toEqual(
      q({ folders: [op("reading"), op("read later"), op("ai", true)] }),
    );
    expect(formatSearchQuery(parseSearchQuery('folder:"Read Later" -folder:x'))).toBe('folder:"read later" -folder:x');
    expect(isEmptyQuery(parseSearchQuery("folder:x"))).toBe(false);
    // `folder:` alone is a word, like the other operators.
    expect(parseSearchQuery("folder:")).toEqual(q({ terms: [word("folder:")] }));
  });

  it("has: maps media synonyms", () => {
    expect(parseSearchQuery("has:media has:image has:images has:photo has:video has:note has:tags")).toEqual(
      q({ has: [op("media"), op("media"), op("media"), op("media"), op("media"), op("note"), op("tags")] }),
    );
  });

  it("is:deleted (deleted on X), negated too", () => {
    expect(parseSearchQuery("is:deleted -is:deleted")).toEqual(q({ is: [op("deleted"), op("deleted", true)] }));
  });

  it("is: favorite, its synonyms, and removed", () => {
    expect(parseSearchQuery("is:favorite is:fav is:starred is:removed")).toEqual(
      q({ is: [op("favorite"), op("favorite"), op("favorite"), op("removed")] }),
    );
  });

  it("lang: lower-cases codes of 2 to 8 letters and hyphens", () => {
    expect(parseSearchQuery("lang:ja lang:EN lang:zh-Hant lang:und")).toEqual(q({ lang: [op("ja"), op("en"), op("zh-hant"), op("und")] }));
  });

  it("before: and after: parse to UTC midnight", () => {
    expect(parseSearchQuery("after:2024-01-01 before:2025/01/31")).toEqual(q({ after: utc("2024-01-01"), before: utc("2025-01-31") }));
    expect(parseSearchQuery("before:2024-02-29")).toEqual(q({ before: utc("2024-02-29") })); // leap year
    expect(parseSearchQuery("after:２０２５－０１－０５")).toEqual(q({ after: utc("2025-01-05") }));
    expect(parseSearchQuery("after:2025-1-5")).toEqual(q({ after: utc("2025-01-05") }));
  });

  it("lets the last date win", () => {
    expect(parseSearchQuery("before:2025-01-01 before:2025-06-01 after:2020-01-01 after:2021-01-01")).toEqual(
      q({ before: utc("2025-06-01"), after: utc("2021-01-01") }),
    );
  });

  it("treats unknown word:thing as a plain word", () => {
    expect(parseSearchQuery("http://x.com note:foo 12:30 :smile: ja:日本")).toEqual(
      q({ terms: [word("http://x.com"), word("note:foo"), word("12:30"), word(":smile:"), word("ja:日本")] }),
    );
  });

  it("treats an operator with an empty value as a plain word", () => {
    expect(parseSearchQuery("from: has: is: lang: before: after: tag: category:")).toEqual(
      q({
        terms: ["from:", "has:", "is:", "lang:", "before:", "after:", "tag:", "category:"].map((t) => word(t)),
      }),
    );
    expect(parseSearchQuery("from:@ tag:# -FROM:")).toEqual(q({ terms: [word("from:@"), word("tag:#"), word("from:", true)] }));
  });

  it("ignores an operator with an empty quoted value", () => {
    expect(parseSearchQuery('tag:"" from:"  " x')).toEqual(q({ terms: [word("x")] }));
  });

  it("accepts quoted values for any operator", () => {
    expect(parseSearchQuery('from:"@Bob" has:"media" lang:"ja" before:"2025-01-01"')).toEqual(
      q({ from: [op("bob")], has: [op("media")], lang: [op("ja")], before: utc("2025-01-01") }),
    );
  });

  it("keeps everything after the first colon as the value", () => {
    expect(parseSearchQuery("from:bob:x")).toEqual(q({ from: [op("bob:x")] }));
  });

  it("parses full-width IME input", () => {
    expect(parseSearchQuery("＃タグ　－ｆｒｏｍ：ｂｏｂ")).toEqual(q({ tags: [op("タグ")], from: [op("bob", true)] }));
    expect(parseSearchQuery("ｈａｓ：ｍｅｄｉａ　ｌａｎｇ：ｊａ　＃＂機械　学習＂")).toEqual(
      q({ has: [op("media")], lang: [op("ja")], tags: [op("機械 学習")] }),
    );
  });

  it("parses a combination", () => {
    expect(parseSearchQuery('from:bob #ai "large language" -spam lang:en after:2024-01-01 before:2025-01-01')).toEqual(
      q({
        terms: [phrase("large language"), word("spam", true)],
        from: [op("bob")],
        tags: [op("ai")],
        lang: [op("en")],
        after: utc("2024-01-01"),
        before: utc("2025-01-01"),
      }),
    );
  });

  it("parses a Japanese combination", () => {
    expect(parseSearchQuery("機械学習 -広告 ＃ＡＩ lang:ja is:fav 「大規模 言語モデル」 has:画像")).toEqual(
      q({
        terms: [word("機械学習"), word("広告", true), phrase("大規模 言語モデル")],
        tags: [op("ai")],
        lang: [op("ja")],
        is: [op("favorite")],
        errors: ["has: accepts media, note or tags"],
      }),
    );
  });
});

describe("parseSearchQuery: errors", () => {
  it("rejects unknown has: and is: values", () => {
    expect(parseSearchQuery("has:link")).toEqual(q({ errors: ["has: accepts media, note or tags"] }));
    expect(parseSearchQuery("-has:link")).toEqual(q({ errors: ["has: accepts media, note or tags"] }));
    expect(parseSearchQuery("is:read")).toEqual(q({ errors: ["is: accepts favorite, removed or deleted"] }));
  });

  it("rejects malformed language codes", () => {
    for (const input of ["lang:e", "lang:english-us", "lang:日本", "lang:en_US", "lang:123"]) {
      expect(parseSearchQuery(input).errors).toEqual(["lang: expects a language code like en or ja"]);
      expect(parseSearchQuery(input).lang).toEqual([]);
    }
  });

  it("rejects dates that are malformed or not on the calendar", () => {
    for (const value of [
      "2025-02-30",
      "2023-02-29",
      "2025-13-01",
      "2025-00-10",
      "2025-01-32",
      "25-01-01",
      "2025-01",
      "yesterday",
      "2025-01/01",
    ]) {
      expect(parseSearchQuery(`before:${value}`)).toEqual(q({ errors: ["before: expects a date like 2025-01-31"] }));
      expect(parseSearchQuery(`after:${value}`)).toEqual(q({ errors: ["after: expects a date like 2025-01-31"] }));
    }
  });

  it("rejects negated dates", () => {
    expect(parseSearchQuery("-before:2025-01-01")).toEqual(q({ errors: ["before: and after: cannot be negated"] }));
    expect(parseSearchQuery("-after:2025-01-01 after:2024-01-01")).toEqual(
      q({ after: utc("2024-01-01"), errors: ["before: and after: cannot be negated"] }),
    );
  });

  it("rejects an after: that is not earlier than before:", () => {
    expect(parseSearchQuery("after:2025-01-01 before:2025-01-01")).toEqual(
      q({ after: utc("2025-01-01"), before: utc("2025-01-01"), errors: ["after: must be earlier than before:"] }),
    );
    expect(parseSearchQuery("before:2024-01-01 after:2025-01-01").errors).toEqual(["after: must be earlier than before:"]);
    expect(parseSearchQuery("after:2024-12-31 before:2025-01-01").errors).toEqual([]);
  });

  it("reports each problem once and keeps the rest of the query", () => {
    expect(parseSearchQuery("has:x foo has:y is:z")).toEqual(
      q({ terms: [word("foo")], errors: ["has: accepts media, note or tags", "is: accepts favorite, removed or deleted"] }),
    );
  });
});

describe("isEmptyQuery", () => {
  it("is true when there is nothing to filter on", () => {
    expect(isEmptyQuery(parseSearchQuery(""))).toBe(true);
    expect(isEmptyQuery(parseSearchQuery(' # "" '))).toBe(true);
    expect(isEmptyQuery(parseSearchQuery("has:nothing"))).toBe(true); // errors alone filter nothing
  });

  it("is false when any part filters", () => {
    for (const input of [
      "a",
      '"a b"',
      "from:x",
      "#t",
      "category:c",
      "has:note",
      "is:removed",
      "lang:ja",
      "before:2025-01-01",
      "after:2025-01-01",
    ]) {
      expect(isEmptyQuery(parseSearchQuery(input))).toBe(false);
    }
  });
});

describe("formatSearchQuery", () => {
  it("writes a canonical form", () => {
    expect(formatSearchQuery(parseSearchQuery('  FROM:@Bob  ＃ＡＩ "Large  Language" -Spam before:2025/1/5 IS:fav HAS:photo'))).toBe(
      '"large language" -spam from:bob #ai has:media is:favorite before:2025-01-05',
    );
    expect(formatSearchQuery(EMPTY)).toBe("");
  });

  it("quotes values that would not read back as one word", () => {
    expect(formatSearchQuery(parseSearchQuery('#"two words" category:"Read Later"'))).toBe('#"two words" category:"read later"');
    expect(formatSearchQuery(parseSearchQuery('「say "hi"」'))).toBe('「say "hi"」');
  });

  const roundTrips = [
    "",
    "hello world",
    'from:bob #ai "large language" -spam lang:en after:2024-01-01 before:2025-01-01',
    "＃タグ　－ｆｒｏｍ：ｂｏｂ",
    "機械学習 機械 学習 e-mail 2025-01-01 機械-学習 - --x",
    'from: has: tag:"two words" #"x y" -#ads 「重要 な」 “curly”',
    "http://x.com note:foo 12:30 FROM:@Bob IS:FAV has:images -has:video is:removed -lang:en",
    '「say "hi"」 "鍵「括弧" #「a "b"」 category:「c "d"」',
    'tag:"#AI" category:"Read  Later" -category:x from:"@ A b"',
    '-is:favorite has:note has:tags lang:zh-hant -#ads -"not this"',
    '"unterminated  PHRASE with from:bob',
    "after:2025-01-01 before:2025-01-01",
    "from:@ tag:# -from: C# 🚀launch -👎 :smile: a」b #a」",
    "before:0999-12-31",
  ];
  it.each(roundTrips)("round-trips %j", (input) => {
    const parsed = parseSearchQuery(input);
    const text = formatSearchQuery(parsed);
    expect(parseSearchQuery(text)).toEqual(parsed);
    expect(formatSearchQuery(parseSearchQuery(text))).toBe(text); // and the canonical text is stable
  });
});
