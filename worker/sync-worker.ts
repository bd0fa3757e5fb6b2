import { hostname } from "node:os";
import { DelayedError, MetricsTime, UnrecoverableError, Worker, type ConnectionOptions, type Job } from "bullmq";
import type { Logger } from "pino";
import { progressEvent } from "~/server/sync/progress";
import { SYNC_QUEUE, syncJobData, type SyncJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { workerName } from "~/server/sync/worker-name";
import { runSync, SyncPaused, SyncStopped, SyncWait, type JobControl, type SyncServices } from "./sync-job";

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
  /** This worker process's id (shown on the admin page with the concurrency); default host:pid. */
  workerId?: string;
  /** Called when a job ends, however it ends (metrics). */
  onJobEnd?: (outcome: "succeeded" | "failed" | "waiting" | "paused", job: Job<SyncJobData>, durationMs: number) => void;
}

/** The BullMQ worker for `bookmark-sync`: turns sync outcomes into BullMQ's job semantics. */
export function createSyncWorker(o: SyncWorkerOptions): Worker<SyncJobData, void, "sync"> {
  return createRunWorker<SyncJobData, "sync">(SYNC_QUEUE, o, {
    ids: (data) => ({ userId: data.userId, runId: data.runId }),
    run: async (job, control, log) => {
      const run = await runSync(o.services, syncJobData.parse(job.data), control);
      log?.info({ status: run?.status, fetched: run?.fetched, created: run?.created }, "sync job finished");
    },
    closeRun: (job, reason) => closeRun(o.services, job.data.runId, reason),
  });
}

/** What differs between the jobs that run a user's X work (sync, import) under createRunWorker. */
export interface RunJobSpec<D> {
  /** Ids for the log lines of a job. */
  ids(data: D): Record<string, string>;
  run(job: Job<D>, control: JobControl, log: Logger | undefined): Promise<void>;
  /** The job failed for good outside the runner (stalled too often, bad payload): close its record. */
  closeRun(job: Job<D>, reason: string): Promise<void>;
}

/**
 * A BullMQ worker whose jobs wait (SyncWait: moved to delayed, not an attempt), hand themselves
 * back on shutdown (SyncPaused), fail for good (SyncStopped: unrecoverable) or fail an attempt
 * (BullMQ retries with backoff), with crash-safe locks.
 */
export function createRunWorker<D, N extends string>(
  queue: string,
  o: Omit<SyncWorkerOptions, "services">,
  spec: RunJobSpec<D>,
): Worker<D, void, N> {
  const worker = new Worker<D, void, N>(
    queue,
    async (job, token) => {
      const started = Date.now();
      const log = o.logger?.child({ jobId: job.id, ...spec.ids(job.data) });
      const jobLog = (line: string) => {
        log?.info(line);
        return job.log(line).catch(() => 0);
      };
      const end = (outcome: "succeeded" | "failed" | "waiting" | "paused") =>
        o.onJobEnd?.(outcome, job as unknown as Job<SyncJobData>, Date.now() - started);
      try {
        await spec.run(
          job,
          {
            log: jobLog,
            attempt: { number: job.attemptsMade + 1, of: job.opts.attempts ?? 1 },
            progress: (p) => job.updateProgress(p).catch(() => undefined),
            isFinalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
            stopping: o.stopping,
          },
          log,
        );
        end("succeeded");
      } catch (e) {
        if (e instanceof SyncWait) {
          // Free the worker slot; BullMQ brings the job back when the wait is over. Not an attempt.
          await jobLog(
            `job delayed until ${e.resumeAt.toISOString()} (${e.kind === "rate_limit" ? "X's rate limit" : "circuit open"}; not a failed attempt)`,
          );
          await job.moveToDelayed(e.resumeAt.getTime(), token);
          end("waiting");
          throw new DelayedError();
        }
        if (e instanceof SyncPaused) {
          // Shutting down: hand the job straight back, so another worker resumes it now rather than
          // after the stalled-job check.
          await jobLog("job handed back to the queue (worker stopping)");
          await job.moveToDelayed(Date.now(), token);
          end("paused");
          throw new DelayedError();
        }
        end("failed");
        if (e instanceof SyncStopped) {
          await jobLog("job failed for good: retrying would not help");
          throw new UnrecoverableError(e.message);
        }
        const attempts = job.opts.attempts ?? 1;
        await jobLog(
          job.attemptsMade + 1 >= attempts
            ? `attempt ${job.attemptsMade + 1} of ${attempts} failed; no attempts left`
            : `attempt ${job.attemptsMade + 1} of ${attempts} failed; BullMQ retries the job with backoff`,
        );
        throw e;
      }
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      // The admin page lists workers by this name (id and concurrency) and charts jobs per minute.
      name: workerName(o.workerId ?? `${hostname()}:${process.pid}`, o.concurrency),
      metrics: { maxDataPoints: MetricsTime.ONE_HOUR * 24 },
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
    if (!(err instanceof UnrecoverableError) && job.stalledCounter > 0)
      void job.log(`failed after stalling: ${err.message}`).catch(() => 0);
    void spec.closeRun(job, err.message).catch((e: unknown) => o.logger?.error({ err: e }, "could not close run"));
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
