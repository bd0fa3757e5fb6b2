import { Worker, type ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import { warmDefaultView, warmDueUsers, type WarmCounts, type WarmDeps, type WarmSettings } from "~/server/library/warm";
import { LIBRARY_WARM_QUEUE, warmJobData } from "~/server/sync/queue";
import { workerName } from "~/server/sync/worker-name";

export interface WarmWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  deps: WarmDeps;
  settings: WarmSettings;
  workerId: string;
  logger?: Logger;
  stopping?: AbortSignal;
  /** Entries warmed or skipped (metrics). */
  onWarm?: (counts: WarmCounts) => void;
}

/**
 * The `library-warm` queue's worker: "user" jobs warm one person's default view, "scan" jobs (the
 * job scheduler's) warm the people whose usual hour is near. One job at a time: warming is
 * background work and must not compete with syncs for the database.
 */
export function createWarmWorker(o: WarmWorkerOptions): Worker {
  const worker = new Worker(
    LIBRARY_WARM_QUEUE,
    async (job) => {
      if (job.name === "scan") {
        const r = await warmDueUsers(o.deps, o.settings, {
          signal: o.stopping,
          onBatch: () => void job.updateProgress({}).catch(() => undefined),
        });
        o.onWarm?.(r);
        o.logger?.info({ jobId: job.id, ...r }, "scheduled cache warm");
        return r;
      }
      const { userId, reason } = warmJobData.parse(job.data);
      const r = await warmDefaultView(o.deps, userId, o.settings.ttlSeconds);
      o.onWarm?.(r);
      o.logger?.debug({ jobId: job.id, userId, reason, ...r }, "cache warm");
      return r;
    },
    { connection: o.connection, prefix: o.prefix, concurrency: 1, name: workerName(o.workerId, 1) },
  );
  worker.on("error", (err) => o.logger?.error({ err }, "warm worker error"));
  return worker;
}
