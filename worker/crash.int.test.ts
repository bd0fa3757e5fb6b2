/**
 * Crash safety of the real worker process (worker/main.ts, spawned as a child): a worker killed
 * with SIGKILL mid-sync leaves a checkpoint another worker resumes from once the job's lock
 * expires; a worker sent SIGTERM finishes the page in hand, checkpoints, hands the job back to
 * the queue and exits 0 within 10 s. Real Postgres, Redis, BullMQ and an in-process X sandbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "~/testing/harness";
import { expectResumedToCompletion } from "~/testing/sync-resume";
import { until } from "~/testing/until";
import { startWorkerProcess, type WorkerProcess } from "~/testing/worker-process";

const PAGE_SIZE = 90;
const BOOKMARKS = 800;
const PAGES = Math.ceil(BOOKMARKS / PAGE_SIZE); // 9

let h: Harness;
const children: WorkerProcess[] = [];

/** The real worker process against the harness, with short locks so a killed worker's job moves on quickly. */
async function startWorker(): Promise<WorkerProcess> {
  const w = await startWorkerProcess(h, { SYNC_LOCK_MS: "2000", SYNC_CONCURRENCY: "3" });
  children.push(w);
  return w;
}

/** SIGKILL to each child still running (its process group), then wait for it. */
async function killAll() {
  for (const w of children.splice(0)) await w.kill();
}

const stats = (xId: string) => h.control<{ apiCalls: { bookmarks: number } }>("GET", `/users/${xId}/stats`);
const getRun = (runId: string) => h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
const expectResumed = (
  runId: string,
  user: { id: string; xId: string },
  checkpoint: { pages: number; fetched: number },
  callsBefore: number,
) => expectResumedToCompletion(h, { runId, user, checkpoint, callsBefore, bookmarks: BOOKMARKS, pages: PAGES });
const jobLogs = async (runId: string) => (await h.services.syncQueue.getJobLogs(runId)).logs;

describe("worker process: crash and shutdown", () => {
  beforeAll(async () => {
    h = await startHarness({ worker: false, pageSize: PAGE_SIZE });
  });
  afterEach(async () => {
    await killAll();
    await h.control("PUT", "/faults", {});
  });
  afterAll(async () => {
    await killAll();
    await h?.control("PUT", "/faults", {}).catch(() => undefined);
    await h?.close();
  });

  it("kill -9 mid-sync: a new worker resumes from the checkpoint, with every bookmark once, in X's order", async () => {
    const user = await h.createUser(BOOKMARKS);
    await h.control("PUT", "/faults", { latencyMs: 150 });
    const first = await startWorker();
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    await until("two pages saved", async () => (await getRun(runId)).pages >= 2, 20_000, first.output);

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const atKill = await getRun(runId);
    const callsAtKill = (await stats(user.xId)).apiCalls.bookmarks;
    // Died mid-sync: still open, and what is saved matches its checkpoint.
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.pages).toBeGreaterThanOrEqual(2);
    expect(atKill.pages).toBeLessThan(PAGES);
    expect(atKill.nextToken).not.toBeNull();
    expect(atKill.fetched).toBe(atKill.pages * PAGE_SIZE);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(atKill.fetched);

    // A new worker picks the job up once its lock (SYNC_LOCK_MS=2000) has expired.
    await startWorker();
    // Resumed, not restarted: from the checkpointed page, reading only the pages not yet saved.
    await expectResumed(runId, user, atKill, callsAtKill);
    expect((await stats(user.xId)).apiCalls.bookmarks).toBeLessThan(2 * PAGES);
  });

  it("SIGTERM: finishes the page in hand, checkpoints, hands the job back and exits 0 within 10 s", async () => {
    const user = await h.createUser(BOOKMARKS);
    await h.control("PUT", "/faults", { latencyMs: 300 });
    const first = await startWorker();
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    await until("two pages saved", async () => (await getRun(runId)).pages >= 2, 20_000, first.output);

    const atSignal = await getRun(runId);
    const t0 = Date.now();
    first.child.kill("SIGTERM");
    const exit = await first.exited;
    const stopMs = Date.now() - t0;
    expect(exit, first.output()).toEqual({ code: 0, signal: null });
    expect(stopMs).toBeLessThan(10_000);

    // Checkpointed and handed back, not failed: the saved bookmarks are exactly the checkpoint's.
    const paused = await getRun(runId);
    expect(paused.status).toBe("QUEUED");
    expect(paused.error).toBeNull();
    expect(paused.pages).toBeGreaterThanOrEqual(2);
    expect(paused.pages).toBeLessThan(PAGES);
    // At most the page being read when the signal came was still saved; no further page was.
    expect(paused.pages - atSignal.pages).toBeGreaterThanOrEqual(0);
    expect(paused.pages - atSignal.pages).toBeLessThanOrEqual(1);
    expect(paused.nextToken).not.toBeNull();
    expect(paused.fetched).toBe(paused.pages * PAGE_SIZE);
    expect(paused.position).toBe(paused.fetched);
    // Reads made: the saved pages, plus at most one read-ahead that was in flight.
    const callsAtStop = (await stats(user.xId)).apiCalls.bookmarks;
    expect(callsAtStop - paused.pages).toBeGreaterThanOrEqual(0);
    expect(callsAtStop - paused.pages).toBeLessThanOrEqual(1);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(paused.fetched);
    expect(await h.libraryIds(user.id)).toEqual((await h.sandboxIds(user.xId)).slice(0, paused.fetched));
    expect(["delayed", "waiting", "prioritized"]).toContain(await h.services.syncQueue.getJobState(runId));
    expect((await h.services.syncQueue.getJob(runId))!.attemptsMade).toBe(0);
    expect(await jobLogs(runId)).toContain(
      `worker stopping: sync checkpointed after page ${paused.pages}; it continues on the next worker`,
    );

    // The next worker takes it straight from the queue (no lock to wait for) and finishes it.
    await h.control("PUT", "/faults", { latencyMs: 50 });
    await startWorker();
    await expectResumed(runId, user, paused, callsAtStop);
  });

  it("SIGTERM while X is failing: the unsaved page is not a failed attempt; the job goes back to the queue as paused", async () => {
    const user = await h.createUser(BOOKMARKS);
    // Every request fails, slowly: the signal comes while the first one is in flight.
    await h.control("PUT", "/faults", { latencyMs: 500, errorRate: 1, errorStatus: 503 });
    const first = await startWorker();
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    await until("a request in flight", async () => (await stats(user.xId)).apiCalls.bookmarks >= 1, 20_000, first.output);
    first.child.kill("SIGTERM");
    expect(await first.exited, first.output()).toEqual({ code: 0, signal: null });

    // Stopping skips the retry; that must not count against the job's attempts or the run.
    const paused = await getRun(runId);
    expect(paused).toMatchObject({ status: "QUEUED", pages: 0, error: null });
    expect(paused.errors).toEqual([]);
    expect((await h.services.syncQueue.getJob(runId))!.attemptsMade).toBe(0);
    expect(["delayed", "waiting", "prioritized"]).toContain(await h.services.syncQueue.getJobState(runId));
    expect(await jobLogs(runId)).toContain("worker stopping: sync checkpointed after page 0; it continues on the next worker");

    await h.control("PUT", "/faults", {});
    await startWorker();
    const run = await h.waitForRun(runId, 40_000);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: BOOKMARKS, created: BOOKMARKS, pages: PAGES });
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });
});
