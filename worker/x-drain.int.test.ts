import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { X_SCOPES } from "~/server/x/config";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";

let h: Harness;
beforeAll(async () => {
  // X's 800-newest cap, as the real API has it: only a drain reaches the older bookmarks.
  h = await startHarness({ pageSize: 90, sandbox: { bookmarkCap: 800 } });
});
afterAll(async () => {
  await h?.close();
});

describe("drain (worker + BullMQ + Postgres + X sandbox)", () => {
  it("reaches past the newest 800: every bookmark ends up here, and the undo list restores them on X", { timeout: 240_000 }, async () => {
    const user = await h.createUser(1_200, { scopes: [...X_SCOPES, "bookmark.write"] });
    const all = await h.sandboxIds(user.xId);
    // Archiving off: a round waits for its batch's media to be archived first, and downloading
    // 1,200 posts' media one file at a time is the media archive's test, not this one.
    await h.db.user.update({ where: { id: user.id }, data: { mediaArchive: "OFF" } });
    // The test does not wait out X's 50 writes per 15 minutes (the pacing itself: x-writes.int.test.ts).
    await h.control("PUT", "/faults", { rateLimit: { limit: 100_000, windowSeconds: 900, endpoint: "bookmarkWrites" } });
    try {
      const caller = h.caller(user.id);
      await expect(caller.xDrain.start({ batchSize: 200, confirm: false as unknown as true })).rejects.toMatchObject({
        code: "BAD_REQUEST",
      });
      const drain = await caller.xDrain.start({ batchSize: 200, confirm: true });

      // Paused: it stops after the step in hand and stays put.
      await caller.xDrain.pause({ drainId: drain.id });
      await new Promise((r) => setTimeout(r, 1_000));
      const paused = await caller.xDrain.status({ drainId: drain.id });
      expect(paused).toMatchObject({ status: "PAUSED" });
      expect(paused!.rounds).toBeLessThanOrEqual(1);
      await caller.xDrain.resume({ drainId: drain.id });

      const done = await until(
        "the drain ends",
        // Polled in the database: the API's per-user call limit is not what this test is about.
        async () => {
          const d = await h.db.xDrain.findUniqueOrThrow({ where: { id: drain.id } });
          await new Promise((r) => setTimeout(r, 200));
          return d.status === "DONE" || d.status === "FAILED" ? caller.xDrain.status({ drainId: drain.id }) : null;
        },
        200_000,
      );
      expect(done).toMatchObject({ status: "DONE", removedOnX: 600, failed: 0 });
      // Everything is here (newest first as on X), and X kept only its newest 600.
      expect(await h.db.bookmark.count({ where: { userId: user.id, deletedAt: null } })).toBe(1_200);
      expect(new Set(await h.libraryIds(user.id))).toEqual(new Set(all));
      expect(await h.sandboxIds(user.xId)).toEqual(all.slice(0, 600));

      // Undo: every removed post bookmarked on X again.
      expect(await caller.xDrain.undo({ drainId: drain.id, confirm: true })).toEqual({ queued: 600 });
      await until(
        "the undo writes are done",
        async () => (await h.db.xBookmarkWrite.count({ where: { userId: user.id, status: "QUEUED" } })) === 0,
        120_000,
      );
      expect(new Set(await h.sandboxIds(user.xId))).toEqual(new Set(all));
    } finally {
      await h.control("PUT", "/faults", {});
    }
  });
});
