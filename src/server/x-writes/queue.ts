import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";

/** Writes to a person's bookmarks on X (remove, add back), one job per post. */
export const X_WRITE_QUEUE = "x-bookmark-write";

export const xWriteJobData = z.object({ userId: z.string().min(1), writeId: z.string().min(1) });
export type XWriteJobData = z.infer<typeof xWriteJobData>;
export type XWriteQueue = Queue<XWriteJobData, void, "write">;

export function createXWriteQueue(connection: ConnectionOptions, prefix: string): XWriteQueue {
  return new Queue<XWriteJobData, void, "write">(X_WRITE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      // Transient failures (5xx, timeouts) are retried with backoff; X's rate limit and the open
      // circuit delay the job instead (not an attempt; see worker/x-write-job.ts).
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
      removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
    },
  });
}

/** Drains: rounds of sync-then-remove-the-oldest-on-X, one job per drain (it delays itself between rounds). */
export const X_DRAIN_QUEUE = "x-bookmark-drain";
export const xDrainJobData = z.object({ userId: z.string().min(1), drainId: z.string().min(1) });
export type XDrainJobData = z.infer<typeof xDrainJobData>;
export type XDrainQueue = Queue<XDrainJobData, void, "drain">;

export function createXDrainQueue(connection: ConnectionOptions, prefix: string): XDrainQueue {
  return new Queue<XDrainJobData, void, "drain">(X_DRAIN_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { count: 1_000 },
      removeOnFail: { count: 1_000 },
    },
  });
}
