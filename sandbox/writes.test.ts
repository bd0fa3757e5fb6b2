import { describe, expect, it } from "vitest";
import { ALL_SCOPES, apiGet, control, createUser, mint, sandbox } from "./test-utils";

const WRITE = [...ALL_SCOPES, "bookmark.write"];

describe("bookmark write-back", () => {
  it("removes and adds bookmarks with bookmark.write; 403 without it; its own 50-per-15-minutes window", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "writer", 3);
    const [newest] = sb.store.bookmarkList(id).newestFirst();
    const folder = await control<{ id: string }>(sb, "POST", `/users/${id}/folders`, { name: "F", tweetIds: [newest!] });

    const readOnly = await mint(sb, id);
    const refused = await apiGet(sb, `/2/users/${id}/bookmarks/${newest}`, readOnly.access_token, { method: "DELETE" });
    expect(refused.status).toBe(403);
    expect(sb.store.bookmarkList(id).has(newest!)).toBe(true);

    const t = await mint(sb, id, WRITE);
    const del = await apiGet(sb, `/2/users/${id}/bookmarks/${newest}`, t.access_token, { method: "DELETE" });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ data: { bookmarked: false } });
    expect(del.headers.get("x-rate-limit-limit")).toBe("50");
    expect(sb.store.bookmarkList(id).has(newest!)).toBe(false);
    expect(sb.store.foldersOf(id)[0]!.ids).toEqual([]);
    // Idempotent, as X's is.
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/${newest}`, t.access_token, { method: "DELETE" })).status).toBe(200);

    const add = await apiGet(sb, `/2/users/${id}/bookmarks`, t.access_token, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ tweet_id: newest, folder_id: folder.body.id }),
    });
    expect(await add.json()).toEqual({ data: { bookmarked: true } });
    expect(sb.store.bookmarkList(id).newestFirst()[0]).toBe(newest);
    expect(sb.store.foldersOf(id)[0]!.ids).toEqual([newest]);

    const stats = await control<{ apiCalls: Record<string, number>; rateLimit: Record<string, { remaining: number }> }>(
      sb,
      "GET",
      `/users/${id}/stats`,
    );
    expect(stats.body.apiCalls.bookmarkWrites).toBe(4);
    // The refused call counts against the window too (the scope is checked after the rate limit, as on X).
    expect(stats.body.rateLimit.bookmarkWrites!.remaining).toBe(46);
  });
});
