import type { SyncRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { progressEvent } from "./progress";
import type { ProgressPublisher } from "./progress";
import type { SyncModeName, SyncQueue } from "./queue";

export interface SyncStarterDeps {
  db: Db;
  syncQueue: SyncQueue;
  progress: ProgressPublisher;
}

const OPEN_STATUSES = ["QUEUED", "RUNNING"] as const;
/** A run whose job vanished (e.g. the web died between saving the run and queueing it). */
const LOST_AFTER_MS = 30_000;

/**
 * Starts a sync for a user, or returns the one already queued or running: at most one open run
 * per user. A transaction-scoped advisory lock serialises concurrent starts for the same user
 * (across web processes), and the run is committed before its job is queued so the worker
 * always finds it.
 */
export async function startSync(
  deps: SyncStarterDeps,
  userId: string,
  mode: SyncModeName,
): Promise<{ run: SyncRun; created: boolean }> {
  const { db, syncQueue: queue } = deps;
  const { run, created } = await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync-start:${userId}`}))`;
    const open = await tx.syncRun.findFirst({
      where: { userId, status: { in: [...OPEN_STATUSES] } },
      orderBy: { queuedAt: "desc" },
    });
    if (open && !(await isLost(queue, open))) return { run: open, created: false };
    if (open) {
      await tx.syncRun.update({
        where: { id: open.id },
        data: { status: "FAILED", error: "This sync was interrupted before it could start.", finishedAt: new Date() },
      });
    }
    const fresh = await tx.syncRun.create({
      data: { userId, mode: mode === "full" ? "FULL" : "INCREMENTAL", status: "QUEUED" },
    });
    return { run: fresh, created: true };
  });
  if (!created) return { run, created };

  try {
    await queue.add("sync", { userId, runId: run.id, mode }, { jobId: run.id });
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

async function isLost(queue: SyncQueue, run: SyncRun): Promise<boolean> {
  if (Date.now() - run.queuedAt.getTime() < LOST_AFTER_MS) return false;
  const job = await queue.getJob(run.jobId ?? run.id);
  if (!job) return true;
  const state = await job.getState();
  return state === "completed" || state === "failed" || state === "unknown";
}
