import { TRPCError } from "@trpc/server";
import type { SyncRun } from "~/generated/prisma/client";
import { progressEvent } from "~/server/sync/progress";
import { syncJobData } from "~/server/sync/queue";
import type { QueueKey } from "~/shared/queues";
import { isOpenStatus, OPEN_STATUSES } from "~/shared/sync";
import { recordAudit, type Actor } from "./audit";
import { getJobOrThrow, type AnyJob } from "./jobs";
import { queueOf, type AdminDeps } from "./queues";

const who = (actor: Actor) => (actor.handle ? `@${actor.handle}` : actor.id);

async function stateOf(job: AnyJob): Promise<string> {
  return job.getState();
}

/** BullMQ's refusal (a race with a worker, a job that moved on) as words for the admin. */
function refused(what: string, e: unknown): TRPCError {
  if (e instanceof TRPCError) return e;
  const reason = e instanceof Error ? e.message : String(e);
  return new TRPCError({ code: "BAD_REQUEST", message: `Could not ${what}: ${reason}`, cause: e });
}

// ---------------------------------------------------------------------------------------------
// Retrying a failed sync job

/**
 * A failed sync job's run is FAILED, and a worker does nothing with a finished run: before the
 * job goes back to the queue its run is reopened (QUEUED, error cleared, queued "now"), so it
 * resumes from its checkpoint. Under the same per-user lock as sync.start, and only when the user
 * has no other open run: at most one sync per user at a time.
 */
async function reopenRun(deps: AdminDeps, runId: string): Promise<{ before: SyncRun; after: SyncRun } | null> {
  return deps.db.$transaction(async (tx) => {
    const run = await tx.syncRun.findUnique({ where: { id: runId } });
    if (!run) return null;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sync-start:${run.userId}`}))`;
    const other = await tx.syncRun.findFirst({
      where: { userId: run.userId, status: { in: [...OPEN_STATUSES] }, id: { not: run.id } },
      select: { id: true },
    });
    if (other) {
      throw new TRPCError({
        code: "CONFLICT",
        message: `This user already has another sync queued or running (run ${other.id}); retrying this one would run two at once. Wait for it to finish.`,
      });
    }
    if (run.status !== "FAILED") return { before: run, after: run };
    const after = await tx.syncRun.update({
      where: { id: run.id },
      data: { status: "QUEUED", error: null, finishedAt: null, durationMs: null, waitingUntil: null, waitKind: null, queuedAt: new Date() },
    });
    return { before: run, after };
  });
}

async function restoreRun(deps: AdminDeps, before: SyncRun): Promise<void> {
  await deps.db.syncRun
    .update({
      where: { id: before.id },
      data: {
        status: before.status,
        error: before.error,
        finishedAt: before.finishedAt,
        durationMs: before.durationMs,
        waitingUntil: before.waitingUntil,
        waitKind: before.waitKind,
        queuedAt: before.queuedAt,
      },
    })
    .catch(() => undefined);
}

/** Retries one failed job (its sync run reopened first); returns what the audit log records. */
async function retryOne(deps: AdminDeps, key: QueueKey, job: AnyJob, actor: Actor) {
  const data = key === "sync" ? syncJobData.safeParse(job.data).data : undefined;
  const reopened = data ? await reopenRun(deps, data.runId) : null;
  try {
    // A fresh set of attempts: the retry gets the same backoff and retries as a new job.
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
  } catch (e) {
    if (reopened && reopened.after !== reopened.before) await restoreRun(deps, reopened.before);
    throw refused("retry the job", e);
  }
  await queueOf(deps, key)
    .addJobLog(job.id!, `retried by admin ${who(actor)}`)
    .catch(() => 0);
  if (reopened && reopened.after !== reopened.before) {
    await deps.progress
      .publish(progressEvent(reopened.after, "queued", { message: "An admin restarted this sync." }))
      .catch(() => undefined);
  }
  return {
    failedReason: job.failedReason || null,
    attemptsMade: job.attemptsMade,
    runId: data?.runId ?? null,
    runReopened: reopened?.after !== reopened?.before,
  };
}

export async function retryJob(deps: AdminDeps, actor: Actor, q: { queue: QueueKey; jobId: string }) {
  const job = await getJobOrThrow(deps, q.queue, q.jobId);
  const state = await stateOf(job);
  if (state !== "failed") {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Only a failed job can be retried; job ${q.jobId} is ${state}.` });
  }
  const detail = await retryOne(deps, q.queue, job, actor);
  await recordAudit(deps.db, actor, { action: "job.retry", queue: queueOf(deps, q.queue).name, jobId: q.jobId, detail });
  return { jobId: q.jobId, state: "waiting" as const, runReopened: detail.runReopened };
}

/** How many failed jobs "retry all" takes on per call (BullMQ keeps up to 5,000). */
const RETRY_ALL_MAX = 5_000;

/**
 * Retries every failed job. The maintenance queue uses BullMQ's `retryJobs`; the sync queue's
 * jobs go one by one, because each run must be reopened first (and a user's job is left failed
 * when that user already has another sync open).
 */
export async function retryAllFailed(deps: AdminDeps, actor: Actor, q: { queue: QueueKey }) {
  const queue = queueOf(deps, q.queue);
  const failed = await queue.getFailedCount();
  if (failed === 0) throw new TRPCError({ code: "BAD_REQUEST", message: `There are no failed jobs in the ${q.queue} queue.` });
  let retried = 0;
  const skipped: { jobId: string; reason: string }[] = [];
  if (q.queue !== "sync") {
    await queue.retryJobs({ state: "failed", count: 1_000 });
    retried = failed;
  } else {
    const ids = await queue.getRanges(["failed"], 0, RETRY_ALL_MAX - 1);
    for (let i = 0; i < ids.length; i += 8) {
      await Promise.all(
        ids.slice(i, i + 8).map(async (id) => {
          try {
            const job = await queue.getJob(id);
            if (!job || (await job.getState()) !== "failed") return;
            await retryOne(deps, q.queue, job, actor);
            retried++;
          } catch (e) {
            skipped.push({ jobId: id, reason: e instanceof Error ? e.message : String(e) });
          }
        }),
      );
    }
  }
  await recordAudit(deps.db, actor, {
    action: "job.retryAllFailed",
    queue: queue.name,
    detail: { failedBefore: failed, retried, skipped: skipped.slice(0, 50) },
  });
  return { retried, skipped };
}

// ---------------------------------------------------------------------------------------------
// Remove, promote

export async function removeJob(deps: AdminDeps, actor: Actor, q: { queue: QueueKey; jobId: string }) {
  const job = await getJobOrThrow(deps, q.queue, q.jobId);
  const state = await stateOf(job);
  if (state === "active") {
    throw new TRPCError({
      code: "BAD_REQUEST",
      message: `Job ${q.jobId} is running; a worker holds it and it cannot be removed until it stops. Pause the queue or wait for it to finish.`,
    });
  }
  try {
    await job.remove();
  } catch (e) {
    throw refused("remove the job", e);
  }
  // A removed sync job leaves no open run behind: the user's panel says it ended.
  const data = q.queue === "sync" ? syncJobData.safeParse(job.data).data : undefined;
  let runClosed = false;
  if (data) {
    const run = await deps.db.syncRun.findUnique({ where: { id: data.runId } });
    if (run && isOpenStatus(run.status)) {
      const message = "This sync was cancelled by an admin.";
      const closed = await deps.db.syncRun.update({
        where: { id: run.id },
        data: { status: "FAILED", error: message, finishedAt: new Date() },
      });
      await deps.progress.publish(progressEvent(closed, "failed", { message })).catch(() => undefined);
      runClosed = true;
    }
  }
  await recordAudit(deps.db, actor, {
    action: "job.remove",
    queue: queueOf(deps, q.queue).name,
    jobId: q.jobId,
    detail: { previousState: state, runId: data?.runId ?? null, runClosed },
  });
  return { jobId: q.jobId, removed: true, runClosed };
}

export async function promoteJob(deps: AdminDeps, actor: Actor, q: { queue: QueueKey; jobId: string }) {
  const job = await getJobOrThrow(deps, q.queue, q.jobId);
  const state = await stateOf(job);
  if (state !== "delayed") {
    throw new TRPCError({ code: "BAD_REQUEST", message: `Only a delayed job can be promoted to run now; job ${q.jobId} is ${state}.` });
  }
  try {
    await job.promote();
  } catch (e) {
    throw refused("promote the job", e);
  }
  await queueOf(deps, q.queue)
    .addJobLog(q.jobId, `promoted by admin ${who(actor)}: runs now instead of waiting`)
    .catch(() => 0);
  await recordAudit(deps.db, actor, {
    action: "job.promote",
    queue: queueOf(deps, q.queue).name,
    jobId: q.jobId,
    detail: { previousState: state },
  });
  return { jobId: q.jobId, state: "waiting" as const };
}

// ---------------------------------------------------------------------------------------------
// Queue-wide: pause, resume, clean

export async function pauseQueue(deps: AdminDeps, actor: Actor, q: { queue: QueueKey }) {
  const queue = queueOf(deps, q.queue);
  if (await queue.isPaused()) throw new TRPCError({ code: "BAD_REQUEST", message: `The ${q.queue} queue is already paused.` });
  await queue.pause();
  await recordAudit(deps.db, actor, { action: "queue.pause", queue: queue.name, detail: {} });
  return { queue: q.queue, isPaused: true };
}

export async function resumeQueue(deps: AdminDeps, actor: Actor, q: { queue: QueueKey }) {
  const queue = queueOf(deps, q.queue);
  if (!(await queue.isPaused())) throw new TRPCError({ code: "BAD_REQUEST", message: `The ${q.queue} queue is not paused.` });
  await queue.resume();
  await recordAudit(deps.db, actor, { action: "queue.resume", queue: queue.name, detail: {} });
  return { queue: q.queue, isPaused: false };
}

/** Removes completed or failed jobs that finished more than `olderThanHours` ago (at most `limit`). */
export async function cleanQueue(
  deps: AdminDeps,
  actor: Actor,
  q: { queue: QueueKey; state: "completed" | "failed"; olderThanHours: number; limit: number },
) {
  const queue = queueOf(deps, q.queue);
  const ids = await queue.clean(Math.round(q.olderThanHours * 3_600_000), q.limit, q.state);
  await recordAudit(deps.db, actor, {
    action: "queue.clean",
    queue: queue.name,
    detail: { state: q.state, olderThanHours: q.olderThanHours, limit: q.limit, removed: ids.length, jobIds: ids.slice(0, 100) },
  });
  return { queue: q.queue, state: q.state, removed: ids.length };
}
