import type { Worker } from "bullmq";
import { X_DRAIN_QUEUE, xDrainJobData, type XDrainJobData } from "~/server/x-writes/queue";
import { createRunWorker, type SyncWorkerOptions } from "./sync-worker";
import { runDrain, type XDrainServices } from "./x-drain-job";

/** The BullMQ worker for drains: each step is a job run that delays itself until the next one. */
export function createXDrainWorker(
  o: Omit<SyncWorkerOptions, "services" | "concurrency"> & { services: XDrainServices },
): Worker<XDrainJobData, void, "drain"> {
  return createRunWorker<XDrainJobData, "drain">(
    X_DRAIN_QUEUE,
    { ...o, concurrency: 1 },
    {
      ids: (data) => ({ userId: data.userId, drainId: data.drainId }),
      run: async (job, control, log) => {
        const d = await runDrain(o.services, xDrainJobData.parse(job.data), control);
        log?.info({ status: d?.status, rounds: d?.rounds, removed: d?.removed }, "drain step finished");
      },
      closeRun: async (job, reason) => {
        await o.services.db.xDrain.updateMany({
          where: { id: job.data.drainId, status: "RUNNING" },
          data: { status: "FAILED", error: `Drain failed: ${reason}`, finishedAt: new Date() },
        });
      },
    },
  );
}
