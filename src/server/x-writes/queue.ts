import { Queue, type ConnectionOptions } from "bullmq";
import { X_DRAIN_QUEUE, X_WRITE_QUEUE, type XDrainJobData, type XWriteJobData } from "~/shared/queues";

// The names and payloads are the shared contract (src/shared/queues.ts); re-exported for the worker.
export { X_DRAIN_QUEUE, X_WRITE_QUEUE, xDrainJobData, xWriteJobData, type XDrainJobData, type XWriteJobData } from "~/shared/queues";

/** Writes to a person's bookmarks on X (remove, add back), one job per post. */
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
