import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLibraryUser, libraryHarness, seedBookmarks, type SeedPost } from "~/testing/library-seed";

/**
 * Search correctness on a fixed corpus, through the tRPC procedure the UI calls: Japanese
 * substrings of 1, 2 and 3+ characters, English words with stemming, phrases, every operator of
 * the query language, negation, and their combinations.
 */
const h = libraryHarness();
afterAll(() => h.close());

const alice = { username: "alice_db", name: "Alice Smith" };
const bob = { username: "BobRuns", name: "Bob Jones" };
const tanaka = { username: "tanaka", name: "田中太郎" };
const suzuki = { username: "suzuki", name: "鈴木花子" };

// Keys name the posts in expectations. Listed newest bookmarked first.
const corpus: Record<string, SeedPost> = {
  ja_ml: { text: "機械学習の入門書を読んだ。とても分かりやすい。", author: tanaka, lang: "ja", postedAt: new Date("2024-03-01T00:00:00Z") },
  ja_dl: {
    text: "深層学習と機械学習の違いについてまとめました",
    author: suzuki,
    lang: "ja",
    media: true,
    postedAt: new Date("2024-06-15T00:00:00Z"),
  },
  ja_school: { text: "今日は学校で勉強した", author: tanaka, lang: "ja", postedAt: new Date("2025-01-10T00:00:00Z") },
  en_pg: { text: "Running a Postgres database at scale", author: alice, lang: "en", postedAt: new Date("2024-02-01T00:00:00Z") },
  en_run: { text: "I run every morning before work", author: bob, lang: "en", postedAt: new Date("2025-02-01T00:00:00Z") },
  en_llm: {
    text: "Large language models are changing search",
    author: alice,
    lang: "en",
    media: true,
    postedAt: new Date("2025-03-01T00:00:00Z"),
  },
  en_city: { text: "The language of large cities", author: bob, lang: "en", postedAt: new Date("2025-04-01T00:00:00Z") },
  ja_ai: { text: "ＡＩツールまとめ", author: suzuki, lang: "ja", postedAt: new Date("2025-05-01T00:00:00Z") },
  ja_kana: { text: "ｶﾀｶﾅのテストです", author: suzuki, lang: "ja", postedAt: new Date("2025-05-02T00:00:00Z") },
  en_mail: { text: "e-mail marketing tips", author: bob, lang: "en", postedAt: new Date("2025-05-03T00:00:00Z") },
};
const keys = Object.keys(corpus);

let userId: string;
let otherId: string;
const byId = new Map<string, string>();

beforeAll(async () => {
  userId = (await createLibraryUser(h.db)).id;
  const ids = await seedBookmarks(h.db, userId, Object.values(corpus));
  ids.forEach((id, i) => byId.set(id, keys[i]!));
  // Someone else's library with the same words must never leak in.
  otherId = (await createLibraryUser(h.db)).id;
  await seedBookmarks(h.db, otherId, Object.values(corpus));
  // Organise a little: a tag, a note, a favourite and a category.
  const api = h.caller(userId);
  const cat = await api.categories.create({ name: "Reading", color: "#3b82f6" });
  const id = (k: string) => [...byId].find(([, v]) => v === k)![0];
  await api.bookmarks.update({ id: id("ja_ml"), addTags: ["AI", "読書"], categoryId: cat.id, favorite: true });
  await api.bookmarks.update({ id: id("en_pg"), note: "Remember the vacuum settings", addTags: ["ops"] });
  await api.bookmarks.update({ id: id("en_llm"), addTags: ["AI"] });
});

async function search(q: string, extra: Record<string, unknown> = {}): Promise<string[]> {
  const page = await h.caller(userId).bookmarks.list({ filter: { q, ...extra }, limit: 100 });
  return page.items.map((b) => byId.get(b.id) ?? `foreign:${b.id}`);
}
const sorted = (a: string[]) => [...a].sort();

describe("Japanese: substring search without word boundaries", () => {
  it.each([
    ["機械学習", ["ja_dl", "ja_ml"]], // 3+ characters (trigram index)
    ["学習", ["ja_dl", "ja_ml"]], // 2 characters
    ["学", ["ja_dl", "ja_ml", "ja_school"]], // 1 character
    ["機械 入門", ["ja_ml"]], // two words: both must occur
    ["カタカナ", ["ja_kana"]], // half-width ｶﾀｶﾅ in the post, full-width in the query (NFKC)
    ["ｶﾀｶﾅ", ["ja_kana"]], // and the other way round
    ["田中", ["ja_ml", "ja_school"]], // author's name
    ["読書", ["ja_ml"]], // a tag's name
  ])("%s", async (q, want) => {
    expect(sorted(await search(q))).toEqual(sorted(want));
  });
});

describe("English: words with stemming", () => {
  it.each([
    ["run", ["en_pg", "en_run"]], // "Running" stems to run
    ["runs", ["en_pg", "en_run"]],
    ["databases", ["en_pg"]],
    ["POSTGRES", ["en_pg"]], // case
    ["ai", ["ja_ai", "ja_ml", "en_llm"]], // full-width ＡＩ, and the tag AI; not inside "e-mail"
    ["mail", ["en_mail"]], // a word start after punctuation
    ["vacuum", ["en_pg"]], // the note
    ["@alice_db", ["en_llm", "en_pg"]], // the handle
    ["smith", ["en_llm", "en_pg"]], // the author's name
    ["large language", ["en_city", "en_llm"]], // both words, any order
    ['"large language"', ["en_llm"]], // the phrase
    ['"language of large"', ["en_city"]],
  ])("%s", async (q, want) => {
    expect(sorted(await search(q))).toEqual(sorted(want));
  });
});

describe("query language operators", () => {
  it.each([
    ["from:alice_db", ["en_llm", "en_pg"]],
    ["from:@BobRuns", ["en_city", "en_mail", "en_run"]], // @ and case
    ["from:alice_db from:tanaka", ["en_llm", "en_pg", "ja_ml", "ja_school"]], // alternatives
    ["-from:alice_db lang:en", ["en_city", "en_mail", "en_run"]],
    ["#ai", ["en_llm", "ja_ml"]],
    ["#AI #読書", ["ja_ml"]], // both tags
    ["-#ai lang:en", ["en_city", "en_mail", "en_pg", "en_run"]],
    ["#nosuchtag", []],
    ["-#nosuchtag from:tanaka", ["ja_ml", "ja_school"]],
    ["category:reading", ["ja_ml"]],
    ["category:nope", []],
    ["-category:nope lang:ja", ["ja_ai", "ja_dl", "ja_kana", "ja_ml", "ja_school"]], // uncategorised ones stay
    ["-category:reading lang:ja", ["ja_ai", "ja_dl", "ja_kana", "ja_school"]],
    ["has:media", ["en_llm", "ja_dl"]],
    ["-has:media from:suzuki", ["ja_ai", "ja_kana"]],
    ["has:note", ["en_pg"]],
    ["has:tags", ["en_llm", "en_pg", "ja_ml"]],
    ["is:favorite", ["ja_ml"]],
    ["lang:ja", ["ja_ai", "ja_dl", "ja_kana", "ja_ml", "ja_school"]],
    ["lang:ja -学習", ["ja_ai", "ja_kana", "ja_school"]],
    ["after:2025-04-01", ["en_city", "en_mail", "ja_ai", "ja_kana"]],
    ["before:2024-06-01", ["en_pg", "ja_ml"]],
    ["after:2024-01-01 before:2025-01-01 学習", ["ja_dl", "ja_ml"]],
    ['from:alice_db "large language" has:media #ai after:2025-01-01', ["en_llm"]],
    ["＃ＡＩ　－ｆｒｏｍ：ｔａｎａｋａ", ["en_llm"]], // typed with a Japanese IME (full-width)
  ])("%s", async (q, want) => {
    expect(sorted(await search(q))).toEqual(sorted(want));
  });
});

describe("filters combine with search", () => {
  it("tags any / all, category, author, dates, media, language, favourite, removed on X", async () => {
    const tags = await h.caller(userId).tags.list();
    const ai = tags.find((t) => t.name === "AI")!.id;
    const ops = tags.find((t) => t.name === "ops")!.id;
    const reading = (await h.caller(userId).categories.list())[0]!.id;
    expect(sorted(await search("", { tagIds: [ai, ops], tagMode: "any" }))).toEqual(["en_llm", "en_pg", "ja_ml"]);
    expect(await search("", { tagIds: [ai, ops], tagMode: "all" })).toEqual([]);
    expect(await search("学習", { categoryId: reading })).toEqual(["ja_ml"]);
    expect(sorted(await search("学習", { categoryId: null }))).toEqual(["ja_dl"]);
    expect(sorted(await search("", { author: "@ALICE_DB", hasMedia: false }))).toEqual(["en_pg"]);
    expect(sorted(await search("", { postedFrom: new Date("2025-03-01T00:00:00Z"), postedTo: new Date("2025-04-01T00:00:00Z") }))).toEqual([
      "en_llm",
    ]);
    expect(await search("", { lang: "JA", favorite: true })).toEqual(["ja_ml"]);
    expect(await search("", { removedOnX: true })).toEqual([]);
    expect((await search("", { removedOnX: false })).length).toBe(keys.length);
  });
});

describe("order, paging and highlighting", () => {
  it("newest bookmarked first by default, oldest reverses, pages never repeat or skip", async () => {
    expect(await search("")).toEqual(keys);
    expect(await search("", { sort: "oldest" })).toEqual([...keys].reverse());
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await h
        .caller(userId)
        .bookmarks.list({ filter: { q: "" }, cursor, limit: 3 });
      seen.push(...page.items.map((b) => byId.get(b.id)!));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(keys);
  });

  it("relevance ranks the better match first and pages by rank", async () => {
    // ja_dl says 学習 twice; ja_ml once.
    const r = await search("学習", { sort: "relevance" });
    expect(r).toEqual(["ja_dl", "ja_ml"]);
    const first = await h.caller(userId).bookmarks.list({ filter: { q: "学", sort: "relevance" }, limit: 1 });
    expect(first.sort).toBe("relevance");
    const rest = await h.caller(userId).bookmarks.list({ filter: { q: "学", sort: "relevance" }, limit: 10, cursor: first.nextCursor });
    expect(new Set([...first.items, ...rest.items].map((b) => b.id)).size).toBe(3);
    // Without words to rank by, relevance means newest.
    expect((await h.caller(userId).bookmarks.list({ filter: { q: "lang:en", sort: "relevance" } })).sort).toBe("newest");
  });

  it("returns what to highlight: the words and their English stems", async () => {
    const page = await h.caller(userId).bookmarks.list({ filter: { q: "running 機械学習 -spam" } });
    expect(page.highlight.terms).toEqual(["running", "機械学習"]);
    expect(page.highlight.stems).toContain("run");
  });

  it("counts what the list shows", async () => {
    expect(await h.caller(userId).bookmarks.count({ filter: { q: "学" } })).toBe(3);
    expect(await h.caller(userId).bookmarks.count()).toBe(keys.length);
  });
});

describe("bad input gets a clear error", () => {
  it.each([
    ["before:2025-13-01", /before: expects a date like 2025-01-31/],
    ["has:sparkles", /has: accepts media, note or tags/],
    ["after:2025-02-01 before:2025-01-01", /after: must be earlier than before:/],
  ])("%s", async (q, message) => {
    const err = await h
      .caller(userId)
      .bookmarks.list({ filter: { q } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
    expect((err as TRPCError).message).toMatch(message);
  });

  it("invalid dates, over-long searches and forged cursors", async () => {
    const api = h.caller(userId);
    await expect(api.bookmarks.list({ filter: { postedFrom: new Date("nope") } })).rejects.toThrow(/valid date/);
    await expect(api.bookmarks.list({ filter: { postedFrom: new Date("2025-02-01"), postedTo: new Date("2025-01-01") } })).rejects.toThrow(
      /start date must be before the end date/,
    );
    await expect(api.bookmarks.list({ filter: { q: "x".repeat(501) } })).rejects.toThrow(/at most 500 characters/);
    await expect(api.bookmarks.list({ cursor: "1; DROP TABLE" })).rejects.toThrow(/page cursor/);
    await expect(api.bookmarks.list({ filter: { lang: "日本語" } })).rejects.toThrow(/language is a code/);
  });

  it("search syntax characters are text, not SQL or patterns", async () => {
    for (const q of ["%", "_", "\\", "'", "a%b", ".*", "(", "[a-z]"]) expect(await search(q)).toEqual([]);
  });
});

describe("another user's library never shows", () => {
  it("not in lists, searches, counts, tags or categories", async () => {
    const mine = new Set(byId.keys());
    const other = h.caller(otherId);
    const theirs = await other.bookmarks.list({ filter: { q: "" }, limit: 100 });
    expect(theirs.items.some((b) => mine.has(b.id))).toBe(false);
    expect(await other.bookmarks.count({ filter: { q: "#ai" } })).toBe(0);
    expect(await other.tags.list()).toEqual([]);
    expect(await other.categories.list()).toEqual([]);
    // Guessing my tag and category ids does not reach my bookmarks.
    const myTags = (await h.caller(userId).tags.list()).map((t) => t.id);
    const myCat = (await h.caller(userId).categories.list())[0]!.id;
    expect((await other.bookmarks.list({ filter: { tagIds: myTags } })).items).toEqual([]);
    expect((await other.bookmarks.list({ filter: { categoryId: myCat } })).items).toEqual([]);
  });
});
