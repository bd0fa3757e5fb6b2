import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";

/** Queue names and job payloads, shared by the web (producer) and the worker (consumer). */
export const SYNC_QUEUE = "bookmark-sync";

export const syncModes = ["incremental", "full"] as const;
export type SyncModeName = (typeof syncModes)[number];

/** A sync job carries ids only: tokens and bookmark data stay in Postgres. */
export const syncJobData = z.object({
  userId: z.string().min(1),
  runId: z.string().min(1),
  mode: z.enum(syncModes),
});
export type SyncJobData = z.infer<typeof syncJobData>;

export type SyncQueue = Queue<SyncJobData, void, "sync">;

export function createSyncQueue(connection: ConnectionOptions, prefix: string): SyncQueue {
  return new Queue<SyncJobData, void, "sync">(SYNC_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 2_000 },
      // Keep history for the admin console, bounded.
      removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
    },
  });
}
