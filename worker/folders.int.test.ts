import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ pageSize: 90 });
});
afterAll(async () => {
  await h?.close();
});

const folder = (xId: string, name: string, tweetIds: string[]) =>
  h.control<{ id: string; name: string }>("POST", `/users/${xId}/folders`, { name, tweetIds });
const faults = (f: Record<string, unknown>) => h.control("PUT", "/faults", f);
/** A full sync, waited for to its job's end: the run is SUCCEEDED with its last page, before the folders are read. */
const fullSync = async (userId: string) => {
  const run = await h.waitForRun((await h.caller(userId).sync.start({ mode: "full" })).runId);
  const job = await h.services.syncQueue.getJob(run.jobId ?? run.id);
  await until("the sync job ends", async () => (await job!.getState()) === "completed", 20_000);
  return run;
};
const members = async (userId: string, name: string) => {
  const list = await h.caller(userId).bookmarks.list({ filter: { q: `folder:"${name}"` }, limit: 100 });
  return list.items.map((b) => b.post.id).sort();
};

describe("folders in sync (worker + Postgres + X sandbox)", () => {
  it("a full sync stores the folders and their bookmarks; folder:name and the folder filter find them", async () => {
    const user = await h.createUser(60);
    const ids = await h.sandboxIds(user.xId);
    const read = await folder(user.xId, "Read later", ids.slice(0, 5));
    await folder(user.xId, "AI", ids.slice(10, 13));
    expect(await fullSync(user.id)).toMatchObject({ status: "SUCCEEDED", fetched: 60 });

    const list = await h.caller(user.id).folders.list();
    expect(list.map((f) => [f.name, f.count, f.partial, f.missing])).toEqual([
      ["AI", 3, false, 0],
      ["Read later", 5, false, 0],
    ]);
    expect(await members(user.id, "read LATER")).toEqual(ids.slice(0, 5).sort());
    expect(await h.caller(user.id).bookmarks.count({ filter: { q: "-folder:ai" } })).toBe(57);
    const readLater = list.find((f) => f.name === "Read later")!;
    expect(await h.caller(user.id).bookmarks.count({ filter: { folderId: readLater.id } })).toBe(5);
    expect(await h.db.bookmarkFolder.findFirst({ where: { userId: user.id, xId: read.id } })).toMatchObject({
      name: "Read later",
      partial: false,
    });

    // Un-bookmarked on X (so out of the folder): the next full sync drops it from the folder.
    await h.control("DELETE", `/users/${user.xId}/bookmarks/${ids[0]}`);
    await fullSync(user.id);
    expect(await members(user.id, "Read later")).toEqual(ids.slice(1, 5).sort());
  });

  it("X's newest-ids cap: the folder is partial, members read before are kept, nothing is removed on a guess", async () => {
    const user = await h.createUser(80);
    const ids = await h.sandboxIds(user.xId);
    const inFolder = ids.slice(0, 30);
    await folder(user.xId, "Big", inFolder);
    await fullSync(user.id);
    expect(await members(user.id, "Big")).toEqual([...inFolder].sort());

    await faults({ folderIdsCap: 20 });
    try {
      const run = await fullSync(user.id);
      expect(run.status).toBe("SUCCEEDED");
      const [big] = await h.caller(user.id).folders.list();
      expect(big).toMatchObject({ name: "Big", partial: true, count: 30 });
    } finally {
      await faults({});
    }
  });

  it("folder ids not in the library are recorded on the folder; X's folder rate limit leaves the last state in place", async () => {
    const user = await h.createUser(20);
    const ids = await h.sandboxIds(user.xId);
    // Another account's posts in the folder: bookmarked on X now, but not in this library yet.
    const other = await h.sandboxIds((await h.createUser(3)).xId);
    await folder(user.xId, "Mixed", [...ids.slice(0, 2)]);
    await fullSync(user.id);
    expect((await h.caller(user.id).folders.list())[0]).toMatchObject({ name: "Mixed", count: 2, missing: 0 });

    // 429 on the folder endpoints after the list: the sync itself succeeds and keeps the folder as it was.
    await faults({ rateLimit: { limit: 1, windowSeconds: 900, endpoint: "folders" } });
    try {
      await folder(user.xId, "New", other);
      const run = await fullSync(user.id);
      expect(run.status).toBe("SUCCEEDED");
      const names = (await h.caller(user.id).folders.list()).map((f) => f.name);
      expect(names).toContain("Mixed");
      expect(await members(user.id, "Mixed")).toEqual(ids.slice(0, 2).sort());
    } finally {
      await faults({});
    }
    await fullSync(user.id);
    const fresh = await h.caller(user.id).folders.list();
    // "New" holds three posts the sandbox bookmarked for this user on creating the folder: the
    // sync brought them in as bookmarks, so they are members; none is missing.
    expect(fresh.map((f) => [f.name, f.count])).toEqual([
      ["Mixed", 2],
      ["New", 3],
    ]);
  });
});
