import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XClient } from "./client";
import { XApiError } from "./errors";
import { createSandbox, type RunningSandbox } from "../../../sandbox/app";

describe("X client: bookmark folders (against the X sandbox over HTTP)", () => {
  const fake = createSandbox();
  let sb: RunningSandbox;
  beforeAll(async () => {
    sb = await fake.listen(0);
  });
  afterAll(async () => {
    await sb?.close();
  });
  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${sb.url}/_sandbox${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return (await r.json()) as Record<string, string>;
  };

  it("lists folders and reads a folder's ids page by page; with X's cap, only the newest ids and no next page", async () => {
    const user = await control("POST", "/users", { username: "folder_client", bookmarks: 0 });
    const ids = [...fake.store.posts.keys()].slice(0, 130);
    const folder = await control("POST", `/users/${user.id}/folders`, { name: "Later", tweetIds: ids });
    const token = (await control("POST", "/tokens", { userId: user.id, scopes: ["tweet.read", "users.read", "bookmark.read"] }))
      .access_token!;
    const x = new XClient({ apiUrl: sb.url, timeoutMs: 5_000 });

    const folders = await x.getBookmarkFolders(token, user.id!);
    expect(folders.data.data).toEqual([{ id: folder.id, name: "Later" }]);
    expect(folders.rateLimit?.limit).toBe(50);

    const first = await x.getBookmarkFolderIds(token, user.id!, folder.id!);
    expect(first.data.data).toHaveLength(100);
    const second = await x.getBookmarkFolderIds(token, user.id!, folder.id!, { paginationToken: first.data.meta!.next_token });
    expect([...first.data.data!, ...second.data.data!].map((d) => d.id)).toEqual([...ids].reverse());
    expect(second.data.meta?.next_token).toBeUndefined();

    await control("PUT", "/faults", { folderIdsCap: 20 });
    const capped = await x.getBookmarkFolderIds(token, user.id!, folder.id!);
    expect(capped.data.data!.map((d) => d.id)).toEqual([...ids].reverse().slice(0, 20));
    expect(capped.data.meta?.next_token).toBeUndefined();
    await control("PUT", "/faults", {});

    const missing = await x.getBookmarkFolderIds(token, user.id!, "123").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(XApiError);
    expect((missing as XApiError).status).toBe(404);
  });
});
