/**
 * The sync engine's error table, each row fault-injected through the X sandbox (or, for database
 * errors, through a real Postgres trigger), plus the removal reconciliation of full syncs.
 * Real Postgres, Redis, BullMQ and sandbox; no test waits for a real 15-minute window.
 */
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { channels, syncProgressEvent, type SyncProgressEvent } from "~/server/sync/events";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";

type RunErrors = { kind: string; message: string; postId?: string }[];

/** Collects the progress events published on a user's channel. */
async function watchProgress(userId: string) {
  const sub = new Redis(env.REDIS_URL);
  const events: SyncProgressEvent[] = [];
  sub.on("message", (_c: string, m: string) => events.push(syncProgressEvent.parse(JSON.parse(m))));
  await sub.subscribe(channels.syncProgress(userId));
  return { events, close: () => sub.disconnect() };
}

const stats = (h: Harness, xId: string) => h.control<{ apiCalls: { bookmarks: number } }>("GET", `/users/${xId}/stats`);

describe("sync error table: X's answers", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90, concurrency: 1, timeoutMs: 300 });
  });
  afterEach(async () => {
    await h.control("PUT", "/faults", {});
  });
  afterAll(async () => {
    await h?.close();
  });

  it("429 (window spent): waits until x-rate-limit-reset without holding the worker, says until when, and continues", async () => {
    const a = await h.createUser(800);
    const b = await h.createUser(40);
    const progress = await watchProgress(a.id);
    // 4 requests per 2-second window: 9 pages need several windows.
    await h.control("PUT", "/faults", { rateLimit: { limit: 4, windowSeconds: 2 } });
    try {
      const { runId } = await h.caller(a.id).sync.start({ mode: "full" });
      const waiting = await until("the run to wait for X", async () => {
        const r = await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
        return r.waitingUntil ? r : null;
      });
      expect(waiting.waitKind).toBe("rate_limit");
      // The job leaves the worker for BullMQ's delayed set.
      await until("the job to be delayed", async () => (await h.services.syncQueue.getJobState(runId)) === "delayed");

      // The only worker slot is free while A waits: B's sync runs and finishes meanwhile.
      const bRun = await h.waitForRun((await h.caller(b.id).sync.start({ mode: "full" })).runId);
      expect(bRun.status).toBe("SUCCEEDED");
      expect(bRun.finishedAt!.getTime()).toBeLessThan(waiting.waitingUntil!.getTime());

      // A tab joining now is told what is happening.
      const status = await h.caller(a.id).sync.status();
      if (status.latest?.phase === "waiting_rate_limit") expect(status.latest.resumeAt).not.toBeNull();

      const run = await h.waitForRun(runId, 30_000);
      expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 800, created: 800, waitingUntil: null });
      expect(run.rateLimitWaitMs).toBeGreaterThan(0);
      expect((run.errors as RunErrors).filter((e) => e.kind !== "skipped")).toEqual([]);
      expect(await h.libraryIds(a.id)).toEqual(await h.sandboxIds(a.xId));
      // Waiting is not a failed attempt.
      expect((await h.services.syncQueue.getJob(runId))!.attemptsMade).toBe(0);

      const waits = progress.events.filter((e) => e.runId === runId && e.phase === "waiting_rate_limit");
      expect(waits.length).toBeGreaterThan(0);
      expect(new Date(waits[0]!.resumeAt!).getTime()).toBeGreaterThan(Date.now() - 30_000);
    } finally {
      progress.close();
    }
  });

  it("429 (usage cap): stops at once with a clear message, no retry", async () => {
    const user = await h.createUser(100);
    await h.control("PUT", "/faults", { usageCapped: "Monthly" });
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/monthly usage cap/i);
    expect(run.error).toMatch(/waiting minutes will not help/i);
    expect((await stats(h, user.xId)).apiCalls.bookmarks).toBe(1);
    await until("the job to fail", async () => (await h.services.syncQueue.getJobState(run.id)) === "failed");
    expect((await h.services.syncQueue.getJob(run.id))!.attemptsMade).toBe(1);
  });

  it("403: stops without retrying and names the missing permission", async () => {
    const user = await h.createUser(30, { scopes: ["tweet.read", "users.read", "offline.access"] });
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/bookmark\.read/);
    expect(run.error).not.toMatch(/tweet\.read/);
    expect((await stats(h, user.xId)).apiCalls.bookmarks).toBe(1);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(0);
  });

  it("timeouts: 3 tries, then the attempt fails and BullMQ retries the job from its checkpoint", async () => {
    const user = await h.createUser(300);
    // Two pages in, X stops answering.
    await h.control("PUT", "/faults", { latencyMs: 150 });
    const { runId } = await h.caller(user.id).sync.start({ mode: "incremental" });
    await until("two pages", async () => (await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).pages >= 2);
    await h.control("PUT", "/faults", { timeoutRate: 1 });
    const failedAttempt = await until("a failed attempt", async () => {
      const r = await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      return (r.errors as RunErrors).some((e) => e.kind === "attempt_failed") ? r : null;
    });
    expect(failedAttempt.status).toBe("RUNNING");
    expect((failedAttempt.errors as RunErrors).find((e) => e.kind === "attempt_failed")!.message).toMatch(/did not answer within 300 ms/);
    const pagesAtFailure = failedAttempt.pages;
    await h.control("PUT", "/faults", {});

    const run = await h.waitForRun(runId, 30_000);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 300, created: 300 });
    expect(run.pages).toBeGreaterThan(pagesAtFailure);
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
    const job = await h.services.syncQueue.getJob(runId);
    expect(job!.attemptsMade).toBeGreaterThanOrEqual(1);
    expect((await h.services.syncQueue.getJobLogs(runId)).logs.join("\n")).toMatch(/resuming incremental sync after page/);
  });

  it("connection errors: retried, the attempt fails, and the job completes once X is reachable", async () => {
    const user = await h.createUser(120);
    const realUrl = h.x.apiUrl;
    h.x.apiUrl = "http://127.0.0.1:9"; // nothing listens on the discard port
    try {
      const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
      const r = await until("a failed attempt", async () => {
        const run = await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
        return (run.errors as RunErrors).some((e) => e.kind === "attempt_failed") ? run : null;
      });
      expect((r.errors as RunErrors)[0]!.message).toMatch(/Could not reach X/);
      h.x.apiUrl = realUrl;
      const run = await h.waitForRun(runId, 30_000);
      expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 120, created: 120 });
    } finally {
      h.x.apiUrl = realUrl;
    }
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });

  it("a malformed page: saves what is valid, records each skipped post, marks the run partial", async () => {
    const user = await h.createUser(200);
    await h.control("PUT", "/faults", { malformedRate: 0.1 });
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run.status).toBe("SUCCEEDED");
    expect(run.partialSuccess).toBe(true);
    expect(run.skipped).toBeGreaterThan(0);
    expect(run.fetched + run.skipped).toBe(200);
    const skipped = (run.errors as RunErrors).filter((e) => e.kind === "skipped");
    expect(skipped).toHaveLength(run.skipped);
    expect(skipped.every((e) => /malformed post/.test(e.message) && e.postId)).toBe(true);
    // Everything else is there, in X's order.
    const skippedIds = new Set(skipped.map((e) => e.postId));
    expect(await h.libraryIds(user.id)).toEqual((await h.sandboxIds(user.xId)).filter((id) => !skippedIds.has(id)));
  });
});

describe("sync error table: database errors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90 });
    // A real fault inside Postgres: the Bookmark insert of a listed user fails with a
    // serialization failure (40001) for its first `failures` statements. Sequences are not
    // transactional, so the count survives the failed statement's rollback.
    await h.db.$executeRawUnsafe(
      `CREATE TABLE IF NOT EXISTS test_db_faults ("userId" text PRIMARY KEY, seq text NOT NULL, failures int NOT NULL)`,
    );
    await h.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION test_db_fault() RETURNS trigger AS $$
      DECLARE f test_db_faults;
      BEGIN
        SELECT * INTO f FROM test_db_faults WHERE "userId" = NEW."userId";
        IF FOUND AND nextval(f.seq) <= f.failures THEN
          RAISE EXCEPTION 'injected fault' USING ERRCODE = '40001';
        END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await h.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_db_fault ON "Bookmark"`);
    await h.db.$executeRawUnsafe(`CREATE TRIGGER test_db_fault BEFORE INSERT ON "Bookmark" FOR EACH ROW EXECUTE FUNCTION test_db_fault()`);
  });
  afterAll(async () => {
    await h?.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_db_fault ON "Bookmark"`);
    await h?.close();
  });

  async function failWrites(userId: string, failures: number) {
    const seq = `test_db_fault_${userId}`;
    await h.db.$executeRawUnsafe(`CREATE SEQUENCE "${seq}"`);
    await h.db.$executeRawUnsafe(`INSERT INTO test_db_faults VALUES ($1, $2, $3)`, userId, `"${seq}"`, failures);
  }

  it("short retries absorb a passing database error", async () => {
    const user = await h.createUser(200);
    await failWrites(user.id, 2);
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 200, created: 200 });
    expect((run.errors as RunErrors).filter((e) => e.kind === "attempt_failed")).toEqual([]);
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });

  it("a lasting one fails the attempt with nothing half-written, and the retried job completes", async () => {
    const user = await h.createUser(200);
    await failWrites(user.id, 4); // 3 tries in attempt 1, then one more in attempt 2
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    const failed = await until("a failed attempt", async () => {
      const r = await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      return (r.errors as RunErrors).some((e) => e.kind === "attempt_failed") ? r : null;
    });
    // The first page never committed: no bookmark, no checkpoint.
    expect(failed.pages).toBe(0);
    expect(failed.nextToken).toBeNull();
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(0);

    const run = await h.waitForRun(runId, 30_000);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 200, created: 200 });
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(200);
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });
});

describe("full sync reconciles removals", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("marks bookmarks X no longer returns as removed on X and keeps them", async () => {
    const user = await h.createUser(150);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    const ids = await h.sandboxIds(user.xId);
    const gone = [ids[5]!, ids[100]!, ids[149]!];
    for (const id of gone) await h.control("DELETE", `/users/${user.xId}/bookmarks/${id}`);

    // An incremental sync does not reconcile.
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "incremental" })).runId);
    expect(await h.db.bookmark.count({ where: { userId: user.id, removedOnXAt: { not: null } } })).toBe(0);

    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 147, removed: 3 });
    const removed = await h.db.bookmark.findMany({ where: { userId: user.id, removedOnXAt: { not: null } }, select: { postId: true } });
    expect(removed.map((r) => r.postId).sort()).toEqual([...gone].sort());
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(150);
    const first = await h.caller(user.id).bookmarks.list({ limit: 100 });
    const second = await h.caller(user.id).bookmarks.list({ limit: 100, cursor: first.nextCursor });
    const page = { items: [...first.items, ...second.items] };
    expect(page.items).toHaveLength(150);
    expect(
      page.items
        .filter((b) => b.removedOnXAt !== null)
        .map((b) => b.post.id)
        .sort(),
    ).toEqual([...gone].sort());
    expect((await h.caller(user.id).sync.status()).removedOnXCount).toBe(3);

    // Still removed after another full sync (not counted twice).
    const again = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(again.removed).toBe(0);
    expect(await h.db.bookmark.count({ where: { userId: user.id, removedOnXAt: { not: null } } })).toBe(3);
  });

  it("does not mark bookmarks that only fell out of X's 800 most-recent window", async () => {
    const user = await h.createUser(800);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    // 30 new bookmarks push the 30 oldest out of the window; 2 inside the window are removed.
    await h.control("POST", `/users/${user.xId}/bookmarks`, { count: 30 });
    const ids = await h.sandboxIds(user.xId);
    const gone = [ids[200]!, ids[500]!];
    for (const id of gone) await h.control("DELETE", `/users/${user.xId}/bookmarks/${id}`);

    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 800, created: 30, removed: 2 });
    const removed = await h.db.bookmark.findMany({ where: { userId: user.id, removedOnXAt: { not: null } }, select: { postId: true } });
    expect(removed.map((r) => r.postId).sort()).toEqual([...gone].sort());
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(830);
  });
});

// Deleting a post affects every account that bookmarked it, so these run on a sandbox of their own.
describe("full sync reconciles removals when X cannot serve some posts", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("does not mark bookmarks X listed but could not serve (malformed or deleted posts)", async () => {
    const user = await h.createUser(120);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    const ids = await h.sandboxIds(user.xId);
    await h.control("DELETE", `/posts/${ids[7]}`);
    await h.control("PUT", "/faults", { malformedRate: 0.1 });
    try {
      const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
      expect(run.skipped).toBeGreaterThan(1);
      expect(run).toMatchObject({ status: "SUCCEEDED", removed: 0, partialSuccess: true });
      expect(await h.db.bookmark.count({ where: { userId: user.id, removedOnXAt: { not: null } } })).toBe(0);
    } finally {
      await h.control("PUT", "/faults", {});
    }
  });

  it("counts posts X could not serve towards its 800 cap: those that fell out of the window stay unmarked", async () => {
    const user = await h.createUser(800);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    await h.control("POST", `/users/${user.xId}/bookmarks`, { count: 30 });
    const ids = await h.sandboxIds(user.xId);
    await h.control("DELETE", `/posts/${ids[300]}`); // still bookmarked, but X reports it in errors[]
    const gone = [ids[200]!, ids[500]!];
    for (const id of gone) await h.control("DELETE", `/users/${user.xId}/bookmarks/${id}`);

    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 799, skipped: 1, created: 30, removed: 2 });
    const removed = await h.db.bookmark.findMany({ where: { userId: user.id, removedOnXAt: { not: null } }, select: { postId: true } });
    expect(removed.map((r) => r.postId).sort()).toEqual([...gone].sort());
  });
});
