import { describe, expect, it } from "vitest";
import { ALL_SCOPES, apiGet, control, createUser, mint, sandbox } from "./test-utils";

type Json = Record<string, unknown>;
const body = async (r: Response) => (await r.json()) as Json;

describe("bookmark folders", () => {
  it("control API creates a folder → { id, name }; the API lists folders and pages a folder's ids, newest first", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "folders", 5);
    const posts = [...sb.store.posts.keys()].slice(0, 30);
    const made = await control<{ id: string; name: string }>(sb, "POST", `/users/${id}/folders`, { name: "Reading", tweetIds: posts });
    expect(made.status).toBe(201);
    expect(made.body).toEqual({ id: expect.stringMatching(/^\d+$/), name: "Reading" });
    await control(sb, "POST", `/users/${id}/folders`, { name: "Empty" });
    // Folder items are bookmarks too.
    expect(sb.store.bookmarkList(id).has(posts[0]!)).toBe(true);

    const t = await mint(sb, id);
    const list = await body(await apiGet(sb, `/2/users/${id}/bookmarks/folders`, t.access_token));
    expect(list).toEqual({
      data: [
        { id: made.body.id, name: "Reading" },
        { id: expect.any(String), name: "Empty" },
      ],
      meta: { result_count: 2 },
    });

    const first = await body(await apiGet(sb, `/2/users/${id}/bookmarks/folders/${made.body.id}?max_results=20`, t.access_token));
    expect(first.data).toEqual(
      [...posts]
        .reverse()
        .slice(0, 20)
        .map((p) => ({ id: p })),
    );
    const next = (first.meta as Json).next_token as string;
    const rest = await body(
      await apiGet(sb, `/2/users/${id}/bookmarks/folders/${made.body.id}?max_results=20&pagination_token=${next}`, t.access_token),
    );
    expect(rest).toEqual({
      data: [...posts]
        .reverse()
        .slice(20)
        .map((p) => ({ id: p })),
      meta: { result_count: 10 },
    });
  });

  it("serves only the newest ids without pagination when the folderIdsCap fault is on", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "capped", 0);
    const posts = [...sb.store.posts.keys()].slice(0, 50);
    const f = await control<{ id: string }>(sb, "POST", `/users/${id}/folders`, { name: "Big", tweetIds: posts });
    expect((await control(sb, "PUT", "/faults", { folderIdsCap: 20 })).body).toEqual({ folderIdsCap: 20 });
    const t = await mint(sb, id);
    const capped = await body(await apiGet(sb, `/2/users/${id}/bookmarks/folders/${f.body.id}?max_results=100`, t.access_token));
    expect(capped).toEqual({
      data: [...posts]
        .reverse()
        .slice(0, 20)
        .map((p) => ({ id: p })),
      meta: { result_count: 20 },
    });
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/folders/${f.body.id}?pagination_token=f20`, t.access_token)).status).toBe(400);
  });

  it("refuses bad input, other users' folders, missing scopes; creating a folder needs bookmark.write", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "strict", 0);
    const other = await createUser(sb, "other", 0);
    expect((await control(sb, "POST", `/users/${id}/folders`, { name: "" })).status).toBe(400);
    expect((await control(sb, "POST", `/users/${id}/folders`, { name: "x".repeat(26) })).status).toBe(400);
    expect((await control(sb, "POST", `/users/${id}/folders`, { name: "a", tweetIds: ["999"] })).status).toBe(400);
    expect((await control(sb, "POST", `/users/${id}/folders`, { name: "a", extra: 1 })).status).toBe(400);
    expect((await control(sb, "POST", `/users/0/folders`, { name: "a" })).status).toBe(404);

    const read = await mint(sb, id);
    expect((await apiGet(sb, `/2/users/${other}/bookmarks/folders`, read.access_token)).status).toBe(403);
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/folders/123`, read.access_token)).status).toBe(404);
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/folders?max_results=0`, read.access_token)).status).toBe(400);
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/folders`)).status).toBe(401);
    const noBookmarkRead = await mint(sb, id, ["tweet.read", "users.read"]);
    expect((await apiGet(sb, `/2/users/${id}/bookmarks/folders`, noBookmarkRead.access_token)).status).toBe(403);

    const post = (token: string, name: unknown) =>
      apiGet(sb, `/2/users/${id}/bookmarks/folders`, token, { method: "POST", body: JSON.stringify({ name }) }).then(async (r) => ({
        status: r.status,
        body: await r.json(),
      }));
    expect((await post(read.access_token, "New")).status).toBe(403);
    const write = await mint(sb, id, [...ALL_SCOPES, "bookmark.write"]);
    const created = await post(write.access_token, "New");
    expect(created).toEqual({ status: 201, body: { data: { id: expect.stringMatching(/^\d+$/), name: "New" } } });
    expect((await post(write.access_token, "x".repeat(26))).status).toBe(400);
    expect(sb.store.foldersOf(id).map((f) => f.name)).toEqual(["New"]);
  });
});
