import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Logger } from "pino";
import { progressEvent } from "~/server/sync/progress";
import { SYNC_QUEUE, syncJobData, type SyncJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { runSync, SyncPaused, SyncStopped, SyncWait, type SyncServices } from "./sync-job";

export interface SyncWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  services: SyncServices;
  logger?: Logger;
  /** Aborted on shutdown: running syncs checkpoint after the page in hand and go back to the queue. */
  stopping?: AbortSignal;
  /** Lock duration and stalled-job check interval (ms): how soon a crashed worker's jobs move on. */
  lockMs?: number;
  /** Called when a job ends, however it ends (metrics). */
  onJobEnd?: (outcome: "succeeded" | "failed" | "waiting" | "paused", job: Job<SyncJobData>, durationMs: number) => void;
}

/** The BullMQ worker for `bookmark-sync`: turns sync outcomes into BullMQ's job semantics. */
export function createSyncWorker(o: SyncWorkerOptions): Worker<SyncJobData, void, "sync"> {
  const worker = new Worker<SyncJobData, void, "sync">(
    SYNC_QUEUE,
    async (job, token) => {
      const started = Date.now();
      const data = syncJobData.parse(job.data);
      const log = o.logger?.child({ jobId: job.id, userId: data.userId, runId: data.runId });
      try {
        const run = await runSync(o.services, data, {
          log: (line) => {
            log?.info(line);
            return job.log(line);
          },
          isFinalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          stopping: o.stopping,
        });
        log?.info({ status: run?.status, fetched: run?.fetched, created: run?.created }, "sync job finished");
        o.onJobEnd?.("succeeded", job, Date.now() - started);
      } catch (e) {
        if (e instanceof SyncWait) {
          // Free the worker slot; BullMQ brings the job back when the wait is over. Not an attempt.
          await job.moveToDelayed(e.resumeAt.getTime(), token);
          o.onJobEnd?.("waiting", job, Date.now() - started);
          throw new DelayedError();
        }
        if (e instanceof SyncPaused) {
          // Shutting down: hand the job straight back, so another worker resumes it now rather than
          // after the stalled-job check.
          await job.moveToDelayed(Date.now(), token);
          o.onJobEnd?.("paused", job, Date.now() - started);
          throw new DelayedError();
        }
        o.onJobEnd?.("failed", job, Date.now() - started);
        if (e instanceof SyncStopped) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      // Crash safety: a job whose worker died (kill -9) is picked up again once its lock expires.
      lockDuration: o.lockMs ?? 30_000,
      stalledInterval: o.lockMs ?? 30_000,
      maxStalledCount: 2,
    },
  );

  // A job can also fail outside runSync (stalled too often, bad payload): never leave its run open.
  worker.on("failed", (job, err) => {
    if (!job) return;
    const finalFailure = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (!finalFailure) return;
    void closeRun(o.services, job.data.runId, err.message).catch((e: unknown) => o.logger?.error({ err: e }, "could not close run"));
  });
  worker.on("error", (err) => o.logger?.error({ err }, "worker error"));
  return worker;
}

async function closeRun(s: SyncServices, runId: string, reason: string) {
  const run = await s.db.syncRun.findUnique({ where: { id: runId } });
  if (!run || run.status === "SUCCEEDED" || run.status === "FAILED") return;
  const message = `Sync failed: ${reason}`;
  const failed = await s.db.syncRun.update({
    where: { id: runId },
    data: {
      status: "FAILED",
      error: message,
      finishedAt: new Date(),
      errors: appendRunErrors(run.errors, [{ kind: "failed", message }]),
    },
  });
  await s.progress.publish(progressEvent(failed, "failed", { message }));
}
