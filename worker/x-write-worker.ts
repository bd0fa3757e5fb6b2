import type { Worker } from "bullmq";
import { X_WRITE_QUEUE, xWriteJobData, type XWriteJobData } from "~/server/x-writes/queue";
import { createRunWorker, type SyncWorkerOptions } from "./sync-worker";
import { runXWrite, type XWriteServices } from "./x-write-job";

/**
 * The BullMQ worker for `x-bookmark-write`: the same job semantics as sync (rate-limit waits,
 * retries with backoff, failing for good). One write at a time per worker process: X allows 50
 * per user per 15 minutes, so running them in parallel would only reach the limit sooner.
 */
export function createXWriteWorker(
  o: Omit<SyncWorkerOptions, "services" | "concurrency"> & { services: XWriteServices },
): Worker<XWriteJobData, void, "write"> {
  return createRunWorker<XWriteJobData, "write">(
    X_WRITE_QUEUE,
    { ...o, concurrency: 1 },
    {
      ids: (data) => ({ userId: data.userId, writeId: data.writeId }),
      run: async (job, control, log) => {
        const w = await runXWrite(o.services, xWriteJobData.parse(job.data), control);
        log?.info({ status: w?.status, action: w?.action }, "x write job finished");
      },
      closeRun: async (job, reason) => {
        await o.services.db.xBookmarkWrite.updateMany({
          where: { id: job.data.writeId, status: "QUEUED" },
          data: { status: "FAILED", error: `Failed: ${reason}` },
        });
      },
    },
  );
}
