/**
 * Two worker processes on one queue (the scale-out topology): the one running a sync is killed
 * with SIGKILL; the other, already running, takes the job over once its lock expires and
 * finishes it from the checkpoint, exactly once. Nothing is restarted. Real Postgres, Redis,
 * BullMQ and an in-process X sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "~/testing/harness";
import { bookmarkReads, expectResumedToCompletion } from "~/testing/sync-resume";
import { until } from "~/testing/until";
import { startWorkerProcess, type WorkerProcess } from "~/testing/worker-process";

const PAGE_SIZE = 90;
const BOOKMARKS = 800;
const PAGES = Math.ceil(BOOKMARKS / PAGE_SIZE);

let h: Harness;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  h = await startHarness({ worker: false, pageSize: PAGE_SIZE });
});
afterAll(async () => {
  for (const w of workers) await w.kill();
  await h?.control("PUT", "/faults", {}).catch(() => undefined);
  await h?.close();
});

describe("two workers, one killed mid-sync", () => {
  it("the surviving worker finishes the sync from the checkpoint, every bookmark once", async () => {
    const start = () => startWorkerProcess(h, { SYNC_LOCK_MS: "2000", SYNC_CONCURRENCY: "3" });
    workers.push(await start(), await start());
    const user = await h.createUser(BOOKMARKS);
    await h.control("PUT", "/faults", { latencyMs: 150 });
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    const getRun = () => h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
    await until("two pages saved", async () => (await getRun()).pages >= 2, 30_000);

    // The worker holding the job: BullMQ records the worker's name, which carries its pid.
    const job = await h.services.syncQueue.getJob(runId);
    const holder = workers.find((w) => job?.processedBy?.includes(`:${w.child.pid}~`));
    expect(holder, `processedBy ${job?.processedBy}`).toBeDefined();
    const survivor = workers.find((w) => w !== holder)!;
    holder!.child.kill("SIGKILL");
    expect(await holder!.exited).toEqual({ code: null, signal: "SIGKILL" });
    const atKill = await getRun();
    const callsAtKill = await bookmarkReads(h.control, user.xId);
    expect(atKill.status).toBe("RUNNING");
    expect(atKill.pages).toBeLessThan(PAGES);

    await h.control("PUT", "/faults", {});
    await expectResumedToCompletion(h, { runId, user, checkpoint: atKill, callsBefore: callsAtKill, bookmarks: BOOKMARKS, pages: PAGES });
    // Finished by the worker that was already running.
    expect((await h.services.syncQueue.getJob(runId))?.processedBy).toContain(`:${survivor.child.pid}~`);
    expect(survivor.child.exitCode).toBeNull();
  }, 120_000);
});
