import { describe, expect, it } from "vitest";
import { mapBookmarksPage } from "./map";
import { xBookmarksPage } from "./schemas";

const author = (id: string, username: string) => ({
  id,
  username,
  name: `Name ${username}`,
  profile_image_url: `https://img/${id}.png`,
  verified: true,
});
const post = (id: string, authorId: string, extra: Record<string, unknown> = {}) => ({
  id,
  text: `post ${id}`,
  author_id: authorId,
  created_at: "2025-05-01T10:00:00.000Z",
  lang: "en",
  edit_history_tweet_ids: [id],
  ...extra,
});

const page = (body: unknown) => mapBookmarksPage(xBookmarksPage.parse(body));

describe("mapBookmarksPage", () => {
  it("maps posts, authors from includes and media in X's order", () => {
    const m = page({
      data: [
        post("3", "a1", { attachments: { media_keys: ["3_1", "7_2"] }, public_metrics: { like_count: 5 } }),
        post("2", "a2", { lang: "ja", text: "機械学習の本" }),
        post("1", "a1"),
      ],
      includes: {
        users: [author("a1", "alice"), author("a2", "hana"), author("a3", "unused")],
        media: [
          { media_key: "3_1", type: "photo", url: "https://m/1.jpg", width: 10, height: 20, alt_text: "a cat" },
          {
            media_key: "7_2",
            type: "video",
            preview_image_url: "https://m/2.jpg",
            duration_ms: 3000,
            variants: [
              { content_type: "application/x-mpegURL", url: "https://m/2.m3u8" },
              { content_type: "video/mp4", bit_rate: 256000, url: "https://m/2-low.mp4" },
              { content_type: "video/mp4", bit_rate: 2176000, url: "https://m/2-high.mp4" },
            ],
          },
        ],
      },
      meta: { result_count: 3, next_token: "n1" },
    });
    expect(m.posts.map((p) => p.id)).toEqual(["3", "2", "1"]);
    expect([...m.order.entries()]).toEqual([
      ["3", 0],
      ["2", 1],
      ["1", 2],
    ]);
    expect(m.span).toBe(3);
    expect(m.authors.map((a) => a.username).sort()).toEqual(["alice", "hana"]); // unused authors dropped
    expect(m.posts[0]!.media).toEqual([
      {
        key: "3_1",
        type: "photo",
        url: "https://m/1.jpg",
        previewUrl: "https://m/1.jpg",
        width: 10,
        height: 20,
        altText: "a cat",
        durationMs: null,
        videoUrl: null,
      },
      {
        key: "7_2",
        type: "video",
        url: null,
        previewUrl: "https://m/2.jpg",
        width: null,
        height: null,
        altText: null,
        durationMs: 3000,
        videoUrl: "https://m/2-high.mp4",
      },
    ]);
    expect(m.posts[0]!.metrics).toEqual({ like_count: 5 });
    expect(m.posts[1]).toMatchObject({ text: "機械学習の本", lang: "ja", media: null, postedAt: new Date("2025-05-01T10:00:00.000Z") });
    expect(m.skipped).toEqual([]);
  });

  it("keeps valid posts and records each malformed, author-less or X-reported item (partial success)", () => {
    const m = page({
      data: [
        post("5", "a1"),
        { id: "4", author_id: "a1" }, // no text, no created_at
        post("3", "ghost"), // author not in includes
        post("2", "a1", { created_at: "yesterday" }),
        post("5", "a1"), // duplicate
        post("1", "a1"),
      ],
      includes: { users: [author("a1", "alice")] },
      errors: [
        {
          value: "99",
          detail: "Could not find tweet with ids: [99].",
          title: "Not Found Error",
          resource_type: "tweet",
          parameter: "ids",
          resource_id: "99",
          type: "https://api.x.com/2/problems/resource-not-found",
        },
      ],
    });
    expect(m.posts.map((p) => p.id)).toEqual(["5", "1"]);
    expect(m.order.get("1")).toBe(5); // keeps its place in X's order
    expect(m.span).toBe(6);
    expect(m.skipped).toEqual([
      { postId: "4", reason: "malformed post: text, created_at" },
      { postId: "3", reason: "author ghost missing from includes" },
      { postId: "2", reason: "malformed post: created_at" },
      { postId: "99", reason: "Could not find tweet with ids: [99]." },
    ]);
  });

  it("uses the full text of long posts", () => {
    const m = page({
      data: [
        post("1", "a1", {
          text: "short…",
          note_tweet: { text: "the whole long text", entities: { hashtags: [{ start: 4, end: 9, tag: "x" }] } },
        }),
      ],
      includes: { users: [author("a1", "alice")] },
    });
    expect(m.posts[0]!.text).toBe("the whole long text");
    expect(m.posts[0]!.entities).toEqual({ hashtags: [{ start: 4, end: 9, tag: "x" }] });
  });

  it("handles an empty page", () => {
    expect(page({ meta: { result_count: 0 } })).toMatchObject({ posts: [], authors: [], skipped: [], span: 0 });
  });
});
