import { describe, expect, it } from "vitest";
import { SEEDED_ACCOUNTS } from "./data";
import { sandbox } from "./test-utils";
import { codePointLength } from "./text";

/** The post content richer cards are built from: link previews, quotes, replies, long posts, alt text. */
describe("rich post content in the seeded data", () => {
  const sb = sandbox();
  const posts = sb.store
    .bookmarkList(SEEDED_ACCOUNTS[0]!.id)
    .newestFirst()
    .map((id) => sb.store.posts.get(id)!);
  const links = posts.flatMap((p) => [...(p.entities.urls ?? []), ...(p.note?.entities.urls ?? [])]).filter((u) => !u.media_key);

  it("links X could read have a title, description and unwound URL, about half an https preview image in two sizes", () => {
    const read = links.filter((u) => u.title);
    expect(read.length).toBeGreaterThan(40);
    for (const u of read) expect(u).toMatchObject({ status: 200, description: expect.any(String), unwound_url: u.expanded_url });
    const withImages = read.filter((u) => u.images);
    expect(withImages.length / read.length).toBeGreaterThan(0.3);
    expect(withImages.length / read.length).toBeLessThan(0.7);
    for (const u of withImages) {
      expect(u.images).toHaveLength(2);
      expect(u.images![0]!.url).toMatch(/^https:\/\/pbs\.twimg\.com\/news_img\/\d+\/\w+\?format=jpg&name=orig$/);
      expect(u.images![1]).toMatchObject({ width: 150, height: 150 });
    }
    // In both languages.
    expect(read.some((u) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(u.title!))).toBe(true);
    expect(read.some((u) => /^[\x20-\x7e]+$/.test(u.title!))).toBe(true);
  });

  it("the same seed gives the same previews", () => {
    const again = sandbox();
    for (const p of posts.slice(0, 100)) expect(again.store.posts.get(p.id)!.entities).toEqual(p.entities);
  });

  it("has quotes and replies of stored posts, long posts with their full text, and alt text", () => {
    const quotes = posts.filter((p) => p.referenced?.some((r) => r.type === "quoted"));
    const replies = posts.filter((p) => p.referenced?.some((r) => r.type === "replied_to"));
    expect(quotes.length).toBeGreaterThan(10);
    expect(replies.length).toBeGreaterThan(10);
    for (const p of [...quotes, ...replies]) expect(sb.store.posts.get(p.referenced![0]!.id)).toBeDefined();
    const long = posts.filter((p) => p.note);
    expect(long.length).toBeGreaterThan(3);
    for (const p of long) expect(codePointLength(p.note!.text)).toBeGreaterThan(codePointLength(p.text));
    const alt = [...sb.store.media.values()].filter((m) => m.altText);
    expect(alt.some((m) => /[\u3040-\u30ff\u4e00-\u9fff]/.test(m.altText!))).toBe(true);
  });
});
