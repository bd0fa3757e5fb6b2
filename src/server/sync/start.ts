import type { SyncRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { OPEN_STATUSES } from "~/shared/sync";
import { progressEvent } from "./progress";
import type { ProgressPublisher } from "./progress";
import { syncPriority, type SyncModeName, type SyncQueue, type SyncTriggerName } from "./queue";

export interface SyncStarterDeps {
  db: Db;
  syncQueue: SyncQueue;
  progress: ProgressPublisher;
  /** Backpressure: waiting jobs at which new syncs are refused (per-user de-duplication still answers). */
  queueCap: number;
  /** Jobs the workers run at once (for the "try again in N s" estimate). */
  concurrency: number;
}

/** The queue is full: the caller should try again in `retryAfterSeconds`. */
export class QueueBusyError extends Error {
  override name = "QueueBusyError";
  constructor(
    readonly waiting: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`X Bookmarker is busy syncing other libraries (${waiting} waiting); try again in ${retryAfterSeconds} s.`);
  }
}

/** A run whose job vanished (e.g. the web died between saving the run and queueing it). */
const LOST_AFTER_MS = 30_000;

/**
 * Starts a sync for a user, or returns the one already queued or running: at most one open run
 * per user. A transaction-scoped advisory lock serialises concurrent starts for the same user
 * (across web processes), and the run is committed before its job is queued so the worker
 * always finds it. When the waiting queue is at its cap, a new run is refused (QueueBusyError)
 * rather than growing the queue.
 */
export async function startSync(
  deps: SyncStarterDeps,
  userId: string,
  mode: SyncModeName,
  trigger: SyncTriggerName = "manual",
): Promise<{ run: SyncRun; created: boolean }> {
  const { db, syncQueue: queue } = deps;
  const { run, created } = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync-start:${userId}`}))`;
    const open = await tx.syncRun.findFirst({
      where: { userId, status: { in: [...OPEN_STATUSES] } },
      orderBy: { queuedAt: "desc" },
    });
    if (open && !(await isLost(queue, open))) return { run: open, created: false };
    await refuseWhenBusy(deps);
    if (open) {
      await tx.syncRun.update({
        where: { id: open.id },
        data: { status: "FAILED", error: "This sync was interrupted before it could start.", finishedAt: new Date() },
      });
    }
    const fresh = await tx.syncRun.create({
      data: {
        userId,
        mode: mode === "full" ? "FULL" : "INCREMENTAL",
        trigger: trigger === "scheduled" ? "SCHEDULED" : "MANUAL",
        status: "QUEUED",
      },
    });
    return { run: fresh, created: true };
  });
  if (!created) return { run, created };

  try {
    await queue.add("sync", { userId, runId: run.id, mode, trigger }, { jobId: run.id, priority: syncPriority(mode, trigger) });
  } catch (e) {
    await db.syncRun.update({
      where: { id: run.id },
      data: { status: "FAILED", error: "The job queue is unavailable; try again in a moment.", finishedAt: new Date() },
    });
    throw e;
  }
  const queued = await db.syncRun.update({ where: { id: run.id }, data: { jobId: run.id } });
  await deps.progress.publish(progressEvent(queued, "queued")).catch(() => undefined);
  return { run: queued, created: true };
}

/** Waiting jobs: BullMQ keeps prioritized ones apart from plain waiting ones. */
export async function waitingJobs(queue: SyncQueue): Promise<number> {
  const counts = await queue.getJobCounts("waiting", "prioritized");
  return (counts.waiting ?? 0) + (counts.prioritized ?? 0);
}

async function refuseWhenBusy(deps: SyncStarterDeps): Promise<void> {
  const waiting = await waitingJobs(deps.syncQueue);
  if (waiting < deps.queueCap) return;
  // How long until the queue is back under its cap: the excess, worked off at the recent pace.
  const recent = await deps.db.syncRun.aggregate({
    where: { status: "SUCCEEDED", durationMs: { not: null } },
    _avg: { durationMs: true },
    orderBy: { finishedAt: "desc" },
    take: 50,
  });
  const avgS = Math.max(1, (recent._avg.durationMs ?? 10_000) / 1000);
  const excess = waiting - deps.queueCap + 1;
  const seconds = Math.min(3600, Math.max(5, Math.ceil((excess * avgS) / Math.max(1, deps.concurrency))));
  throw new QueueBusyError(waiting, seconds);
}

async function isLost(queue: SyncQueue, run: SyncRun): Promise<boolean> {
  if (Date.now() - run.queuedAt.getTime() < LOST_AFTER_MS) return false;
  const job = await queue.getJob(run.jobId ?? run.id);
  if (!job) return true;
  const state = await job.getState();
  return state === "completed" || state === "failed" || state === "unknown";
}
