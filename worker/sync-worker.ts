import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import { progressEvent } from "~/server/sync/progress";
import { SYNC_QUEUE, syncJobData, type SyncJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { RateLimitWait, runSync, SyncStopped, type SyncServices } from "./sync-job";

export interface SyncWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  concurrency: number;
  services: SyncServices;
  logger?: Logger;
}

/** The BullMQ worker for `bookmark-sync`: turns sync outcomes into BullMQ's job semantics. */
export function createSyncWorker(o: SyncWorkerOptions): Worker<SyncJobData, void, "sync"> {
  const worker = new Worker<SyncJobData, void, "sync">(
    SYNC_QUEUE,
    async (job, token) => {
      const data = syncJobData.parse(job.data);
      const log = o.logger?.child({ jobId: job.id, userId: data.userId, runId: data.runId });
      try {
        const run = await runSync(o.services, data, {
          log: (line) => {
            log?.info(line);
            return job.log(line);
          },
          isFinalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
        });
        log?.info({ status: run?.status, fetched: run?.fetched, created: run?.created }, "sync job finished");
      } catch (e) {
        if (e instanceof RateLimitWait) {
          // Free the worker slot; BullMQ brings the job back when X's window resets.
          await job.moveToDelayed(e.resumeAt.getTime(), token);
          throw new DelayedError();
        }
        if (e instanceof SyncStopped) throw new UnrecoverableError(e.message);
        throw e;
      }
    },
    { connection: o.connection, prefix: o.prefix, concurrency: o.concurrency },
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
