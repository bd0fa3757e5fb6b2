import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { X_SCOPES } from "~/server/x/config";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ pageSize: 90 });
});
afterAll(async () => {
  await h?.close();
});

const WRITE_SCOPES = [...X_SCOPES, "bookmark.write"];
const faults = (f: Record<string, unknown>) => h.control("PUT", "/faults", f);

/** A synced user; `bookmarkIds` by post id. */
async function syncedUser(count: number, scopes?: string[]) {
  const user = await h.createUser(count, scopes ? { scopes } : {});
  await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
  const rows = await h.db.bookmark.findMany({ where: { userId: user.id }, select: { id: true, postId: true } });
  const byPost = new Map(rows.map((r) => [r.postId, r.id.toString()]));
  return { user, ids: await h.sandboxIds(user.xId), bookmarkId: (postId: string) => byPost.get(postId)! };
}

const allDone = (userId: string) =>
  until(
    "every write to X done",
    async () => {
      const open = await h.db.xBookmarkWrite.count({ where: { userId, status: "QUEUED" } });
      return open === 0 ? h.db.xBookmarkWrite.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }) : null;
    },
    30_000,
  );

describe("write-back to X (worker + BullMQ + Postgres + X sandbox)", () => {
  it("is refused without bookmark.write (log in again), and needs the person's confirmation", async () => {
    const { user, ids, bookmarkId } = await syncedUser(5);
    expect((await h.caller(user.id).xWrites.status()).writeScope).toBe(false);
    await expect(h.caller(user.id).xWrites.remove({ bookmarkIds: [bookmarkId(ids[0]!)], confirm: true })).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: expect.stringMatching(/Log in with X again/),
    });
    await expect(
      h.caller(user.id).xWrites.remove({ bookmarkIds: [bookmarkId(ids[0]!)], confirm: false as unknown as true }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await h.sandboxIds(user.xId)).toEqual(ids);
    expect(await h.db.xBookmarkWrite.count({ where: { userId: user.id } })).toBe(0);
  });

  it("removes on X and adds back; the library keeps the bookmarks, marked removed on X", async () => {
    const { user, ids, bookmarkId } = await syncedUser(10, WRITE_SCOPES);
    expect((await h.caller(user.id).xWrites.status()).writeScope).toBe(true);
    const picked = [ids[2]!, ids[5]!];
    expect(await h.caller(user.id).xWrites.remove({ bookmarkIds: picked.map(bookmarkId), confirm: true })).toEqual({
      queued: 2,
      skipped: 0,
    });
    const writes = await allDone(user.id);
    expect(writes.map((w) => [w.postId, w.action, w.status])).toEqual(expect.arrayContaining(picked.map((p) => [p, "REMOVE", "DONE"])));
    expect(await h.sandboxIds(user.xId)).toEqual(ids.filter((id) => !picked.includes(id)));
    // Still here, with their notes and tags; only X's side is recorded.
    expect(await h.db.bookmark.count({ where: { userId: user.id, deletedAt: null } })).toBe(10);
    expect(await h.caller(user.id).bookmarks.count({ filter: { q: "is:removed" } })).toBe(2);

    await h.caller(user.id).xWrites.add({ bookmarkIds: [bookmarkId(ids[5]!)], confirm: true });
    await allDone(user.id);
    expect(await h.sandboxIds(user.xId)).toContain(ids[5]);
    expect(await h.caller(user.id).bookmarks.count({ filter: { q: "is:removed" } })).toBe(1);
  });

  it("X's write limit (429) delays the job until the window resets; a 5xx is retried with backoff", async () => {
    const { user, ids, bookmarkId } = await syncedUser(6, WRITE_SCOPES);
    await faults({ rateLimit: { limit: 1, windowSeconds: 2, endpoint: "bookmarkWrites" } });
    try {
      await h.caller(user.id).xWrites.remove({ bookmarkIds: [bookmarkId(ids[0]!), bookmarkId(ids[1]!)], confirm: true });
      const writes = await allDone(user.id);
      expect(writes.map((w) => w.status)).toEqual(["DONE", "DONE"]);
      // The wait was not a failed attempt.
      expect(writes.every((w) => w.error === null)).toBe(true);
      expect(await h.sandboxIds(user.xId)).toEqual(ids.slice(2));
    } finally {
      await faults({});
    }

    await faults({ errorRate: 1, errorStatus: 503 });
    let cleared = false;
    try {
      await h.caller(user.id).xWrites.remove({ bookmarkIds: [bookmarkId(ids[2]!)], confirm: true });
      const w = await until("the write queued", () => h.db.xBookmarkWrite.findFirst({ where: { userId: user.id, postId: ids[2]! } }));
      // The first attempt failed after its quick retries: BullMQ holds the job for its backoff.
      await until(
        "the job waits for its retry",
        async () => (await (await h.services.xWriteQueue.getJob(w.id))?.getState()) === "delayed",
        20_000,
      );
      await faults({});
      cleared = true;
      const [, , third] = await allDone(user.id);
      expect(third).toMatchObject({ postId: ids[2], status: "DONE" });
      expect(third!.attempts).toBeGreaterThanOrEqual(2);
      expect(await h.sandboxIds(user.xId)).toEqual(ids.slice(3));
    } finally {
      if (!cleared) await faults({});
    }
  });
});
