import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { savePage } from "~/server/sync/ingest";
import { mapBookmarksPage } from "~/server/x/map";
import { xBookmarksPage } from "~/server/x/schemas";
import { createLibraryUser, libraryHarness } from "~/testing/library-seed";

/**
 * Richer posts through the sync's own save path (X-shaped pages → mapBookmarksPage → savePage on
 * the real Postgres), read back through the tRPC procedures the UI calls: quoted and replied-to
 * posts stored once as posts of their own and shown nested; search finds what the card shows
 * (link titles and descriptions, the URL's domain and path words, alt text, the quoted text).
 */
const h = libraryHarness();
afterAll(() => h.close());

// Ids unique to this run, so reruns on the same database do not meet old rows.
const tag = `${Date.now()}`.slice(-9);
const id = (n: number) => `9${tag}${String(n).padStart(6, "0")}`;
const A = { id: `ra${tag}`, username: `rich_alice_${tag}`, name: "Alice Rich" };
const B = { id: `rb${tag}`, username: `rich_bob_${tag}`, name: "山田 花子" };

const post = (n: number, author: { id: string }, extra: Record<string, unknown> = {}) => ({
  id: id(n),
  text: `plain post number ${n}`,
  author_id: author.id,
  created_at: "2025-05-01T10:00:00.000Z",
  lang: "en",
  ...extra,
});
const link = (over: Record<string, unknown>) => ({ start: 0, end: 12, url: "https://t.co/zzzzzzzzzz", status: 200, ...over });

// Page 1 (newest first): a link card, a Japanese link card, a photo with alt text, two quotes of
// the same post, a reply. Page 2: the quoted post itself, bookmarked later.
const page1 = {
  data: [
    post(1, A, {
      entities: {
        urls: [
          link({
            expanded_url: "https://blog.example.com/2024/observability-handbook",
            unwound_url: "https://blog.example.com/2024/observability-handbook",
            title: "Tracing distributed systems without tears",
            description: "Notes from running Kubernetes clusters for a decade.",
          }),
        ],
      },
    }),
    post(2, B, {
      lang: "ja",
      text: "この記事が良かった",
      entities: {
        urls: [
          link({
            expanded_url: `https://zenn.dev/kenta/articles/${encodeURIComponent("ripgrepの使い方")}`,
            title: "全文検索エンジンを自作する",
            description: "転置インデックスの仕組みを解説します。",
          }),
        ],
      },
    }),
    post(3, A, { attachments: { media_keys: ["3_555"] } }),
    post(4, A, { referenced_tweets: [{ type: "quoted", id: id(100) }] }),
    post(5, B, { referenced_tweets: [{ type: "quoted", id: id(100) }] }),
    post(6, B, { referenced_tweets: [{ type: "replied_to", id: id(101) }] }),
    post(7, A, { referenced_tweets: [{ type: "quoted", id: id(404) }] }),
  ],
  includes: {
    users: [A, B],
    media: [
      { media_key: "3_555", type: "photo", url: "https://pbs.twimg.com/media/x.jpg", width: 1200, height: 800, alt_text: "雪の富士山と湖" },
    ],
    tweets: [
      post(100, B, { text: "Quasars &amp; pulsars: a field guide" }),
      post(101, A, { text: "What is your favourite sourdough starter?" }),
    ],
  },
  errors: [{ resource_id: id(404), parameter: "referenced_tweets.id", resource_type: "tweet", title: "Not Found Error" }],
  meta: { result_count: 7, next_token: "p2" },
};
const page2 = {
  data: [post(100, B, { text: "Quasars &amp; pulsars: a field guide" })],
  includes: { users: [B] },
  meta: { result_count: 1 },
};

let userId: string;
let otherId: string;

async function syncPages(user: string, pages: unknown[]) {
  let run = await h.db.syncRun.create({
    data: { userId: user, mode: "FULL", status: "RUNNING", startedAt: new Date(), orderBase: 1n << 40n },
  });
  const saved = [];
  for (const [i, p] of pages.entries()) {
    const s = await savePage(h.db, run, mapBookmarksPage(xBookmarksPage.parse(p)), {
      nextToken: i < pages.length - 1 ? `p${i + 2}` : null,
      apiCalls: 1,
      stopWhenAllKnown: false,
      reconcileRemovals: false,
      readPriceUsd: 0.005,
    });
    run = s.run;
    saved.push(s);
  }
  return saved;
}

beforeAll(async () => {
  userId = (await createLibraryUser(h.db)).id;
  otherId = (await createLibraryUser(h.db)).id;
  await syncPages(userId, [page1, page2]);
});

const search = async (user: string, q: string) =>
  (await h.caller(user).bookmarks.list({ filter: { q }, limit: 50 })).items.map((b) => b.post.id);

describe("quoted and replied-to posts", () => {
  it("are stored once as posts of their own, whoever quotes or bookmarks them", async () => {
    expect(await h.db.post.count({ where: { id: id(100) } })).toBe(1);
    expect(await h.db.post.findUnique({ where: { id: id(101) }, select: { text: true } })).toEqual({
      text: "What is your favourite sourdough starter?",
    });
    expect(await h.db.post.findMany({ where: { quotedId: id(100) }, select: { id: true }, orderBy: { id: "asc" } })).toEqual([
      { id: id(4) },
      { id: id(5) },
    ]);
    // Bookmarked later (page 2): still one row, now also a bookmark.
    expect(await h.db.bookmark.count({ where: { userId, postId: id(100) } })).toBe(1);
    // The reply's parent is a post, not a bookmark.
    expect(await h.db.bookmark.count({ where: { userId, postId: id(101) } })).toBe(0);
  });

  it("a second user's sync of the same pages adds bookmarks, not posts; counts only the bookmarked posts", async () => {
    const before = await h.db.post.count({ where: { id: { startsWith: `9${tag}` } } });
    const [first, second] = await syncPages(otherId, [page1, page2]);
    expect(await h.db.post.count({ where: { id: { startsWith: `9${tag}` } } })).toBe(before);
    expect(first).toMatchObject({ created: 7, updated: 0 });
    expect(second).toMatchObject({ created: 1, updated: 0 });
    expect(first!.run.skipped).toBe(0); // the unavailable quoted post is not a skipped bookmark
  });

  it("are shown nested: the quoted post with its author, the parent of a reply, and an unavailable one", async () => {
    const items = (await h.caller(userId).bookmarks.list({ filter: { q: "" }, limit: 50 })).items;
    const byPost = new Map(items.map((b) => [b.post.id, b]));
    expect(byPost.get(id(4))!.post.quoted).toMatchObject({
      id: id(100),
      post: { text: "Quasars &amp; pulsars: a field guide", author: { username: B.username, name: B.name } },
    });
    expect(byPost.get(id(4))!.post.quoted!.post!.postedAt).toEqual(new Date("2025-05-01T10:00:00.000Z"));
    expect(byPost.get(id(6))!.post.replyTo).toMatchObject({ id: id(101), post: { author: { username: A.username } } });
    expect(byPost.get(id(7))!.post.quoted).toEqual({ id: id(404), post: null });
    expect(byPost.get(id(1))!.post.quoted).toBeNull();
    expect(byPost.get(id(1))!.post.entities?.urls?.[0]).toMatchObject({ title: "Tracing distributed systems without tears" });
  });
});

describe("search covers what the card shows", () => {
  it.each([
    ["a word of a link title", "tracing", [1]],
    ["a link title word, stemmed", "tear", [1]],
    ["a word of a link description", "kubernetes", [1]],
    ["the link's domain", "blog.example.com", [1]],
    ["a word of the domain", "example", [1]],
    ["a word of the path", "observability", [1]],
    ["a Japanese link title, substring", "検索エンジン", [2]],
    ["a Japanese link description", "転置インデックス", [2]],
    ["a percent-encoded Japanese path", "使い方", [2]],
    ["alt text (Japanese)", "富士山", [3]],
    ["the quoted post's text, on both quotes and the post itself", "quasars", [4, 5, 100]],
    ["the quoted text, unescaped", "quasars & pulsars", [4, 5, 100]],
  ])("%s: %s", async (_, q, want) => {
    expect((await search(userId, q)).sort()).toEqual(want.map(id).sort());
  });

  it("finds nothing in what the card does not show (the t.co link) and nothing of another user's", async () => {
    expect(await search(userId, "zzzzzzzzzz")).toEqual([]);
    const stranger = (await createLibraryUser(h.db)).id;
    expect(await search(stranger, "tracing")).toEqual([]);
  });

  it("a hostile page title is capped, not stored whole", async () => {
    const user = (await createLibraryUser(h.db)).id;
    const huge = {
      data: [post(800, A, { entities: { urls: [link({ expanded_url: "https://e.example/", title: `needle ${"x".repeat(200_000)}` })] } })],
      includes: { users: [A] },
      meta: {},
    };
    await syncPages(user, [huge]);
    const row = await h.db.bookmark.findFirstOrThrow({ where: { userId: user }, select: { cardText: true } });
    expect(row.cardText.length).toBeLessThanOrEqual(4000);
    expect(await search(user, "needle")).toEqual([id(800)]);
  });
});
