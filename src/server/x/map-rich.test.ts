import { describe, expect, it } from "vitest";
import { mapBookmarksPage } from "./map";
import { xBookmarksPage } from "./schemas";

/** Referenced posts, link metadata and long posts, as X's bookmarks endpoint returns them. */
const author = (id: string, username: string) => ({ id, username, name: `Name ${username}` });
const post = (id: string, authorId: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: `post ${id}`,
  author_id: authorId,
  created_at: "2025-05-01T10:00:00.000Z",
  ...extra,
});
const page = (body: unknown) => mapBookmarksPage(xBookmarksPage.parse(body));

const link = {
  start: 0,
  end: 23,
  url: "https://t.co/abc",
  expanded_url: "https://zenn.dev/kenta/articles/search-engine",
  display_url: "zenn.dev/kenta/articles…",
  unwound_url: "https://zenn.dev/kenta/articles/search-engine",
  status: 200,
  title: "TypeScriptで作る小さな検索エンジン",
  description: "全文検索の仕組みを理解するための記事です。",
  images: [{ url: "https://pbs.twimg.com/news_img/1/a?format=jpg&name=orig", width: 1200, height: 630 }],
};

describe("mapBookmarksPage: richer posts", () => {
  it("keeps link metadata (title, description, unwound URL, images) in the stored entities", () => {
    const m = page({ data: [post("1", "a1", { entities: { urls: [link] } })], includes: { users: [author("a1", "alice")] } });
    expect(m.posts[0]!.entities?.urls?.[0]).toMatchObject({
      title: link.title,
      description: link.description,
      unwound_url: link.unwound_url,
      images: link.images,
    });
  });

  it("accepts X's null link fields (the spec marks them nullable)", () => {
    const bare = { ...link, title: null, description: null, unwound_url: null, images: null };
    const m = page({ data: [post("1", "a1", { entities: { urls: [bare] } })], includes: { users: [author("a1", "alice")] } });
    expect(m.skipped).toEqual([]);
    expect(m.posts[0]!.entities?.urls?.[0]?.title).toBeNull();
  });

  it("maps quoted and replied-to posts from includes.tweets as posts of their own, each once", () => {
    const m = page({
      data: [
        post("3", "a1", { referenced_tweets: [{ type: "quoted", id: "10" }] }),
        post("2", "a2", {
          referenced_tweets: [
            { type: "replied_to", id: "11" },
            { type: "quoted", id: "10" },
          ],
        }),
        post("1", "a1"),
      ],
      includes: {
        users: [author("a1", "alice"), author("a2", "bob"), author("a3", "carol")],
        media: [{ media_key: "3_9", type: "photo", url: "https://m/9.jpg", alt_text: "夕焼けの街並み" }],
        tweets: [
          post("10", "a3", { text: "the quoted one", attachments: { media_keys: ["3_9"] } }),
          post("11", "a1", { text: "the parent" }),
          post("10", "a3", { text: "the quoted one" }), // X lists it once per page; twice must not hurt
        ],
      },
    });
    expect(m.posts.map((p) => [p.id, p.quotedId, p.replyToId])).toEqual([
      ["3", "10", null],
      ["2", "10", "11"],
      ["1", null, null],
    ]);
    expect(m.referenced.map((p) => p.id).sort()).toEqual(["10", "11"]);
    expect(m.referenced.find((p) => p.id === "10")!.media).toMatchObject([{ key: "3_9", altText: "夕焼けの街並み" }]);
    // The quoted post's author is kept even though nobody on the page bookmarked their posts.
    expect(m.authors.map((a) => a.username).sort()).toEqual(["alice", "bob", "carol"]);
    expect(m.skipped).toEqual([]);
  });

  it("reads the spec's names too: referenced_posts and includes.posts", () => {
    const m = page({
      data: [post("2", "a1", { referenced_posts: [{ type: "quoted", id: "9" }] })],
      includes: { users: [author("a1", "alice")], posts: [post("9", "a1")] },
    });
    expect(m.posts[0]!.quotedId).toBe("9");
    expect(m.referenced.map((p) => p.id)).toEqual(["9"]);
  });

  it("a bookmarked post that is also quoted on the page is stored once, as the bookmark", () => {
    const m = page({
      data: [post("2", "a1", { referenced_tweets: [{ type: "quoted", id: "1" }] }), post("1", "a1")],
      includes: { users: [author("a1", "alice")], tweets: [post("1", "a1")] },
    });
    expect(m.posts.map((p) => p.id)).toEqual(["2", "1"]);
    expect(m.referenced).toEqual([]);
  });

  it("a referenced post X cannot serve is not a skipped bookmark; malformed or author-less ones are dropped", () => {
    const m = page({
      data: [
        post("2", "a1", {
          referenced_tweets: [
            { type: "quoted", id: "404" },
            { type: "replied_to", id: "5" },
          ],
        }),
      ],
      includes: { users: [author("a1", "alice")], tweets: [post("5", "ghost"), { id: "6", text: 7 }] },
      errors: [
        {
          resource_id: "404",
          parameter: "referenced_tweets.id",
          resource_type: "tweet",
          title: "Not Found Error",
          type: "https://api.twitter.com/2/problems/resource-not-found",
        },
        { resource_id: "3", resource_type: "tweet", title: "Not Found Error", detail: "Could not find tweet with ids: [3]." },
      ],
    });
    expect(m.posts.map((p) => [p.id, p.quotedId, p.replyToId])).toEqual([["2", "404", "5"]]);
    expect(m.referenced).toEqual([]);
    expect(m.skipped).toEqual([{ postId: "3", reason: "Could not find tweet with ids: [3]." }]);
  });

  it("a long post (note_tweet) is stored in full with the note's entities", () => {
    const full = `${"長い文章です。".repeat(60)} https://t.co/abc`;
    const m = page({
      data: [
        post("1", "a1", {
          text: "長い文章です。…",
          entities: { hashtags: [{ start: 0, end: 2, tag: "x" }] },
          note_tweet: { text: full, entities: { urls: [{ ...link, start: 420, end: 443 }] } },
        }),
      ],
      includes: { users: [author("a1", "alice")] },
    });
    expect(m.posts[0]!.text).toBe(full);
    expect(Array.from(m.posts[0]!.text).length).toBeGreaterThan(280);
    expect(m.posts[0]!.entities?.urls?.[0]?.title).toBe(link.title);
    expect(m.posts[0]!.entities?.hashtags).toBeUndefined();
  });
});
