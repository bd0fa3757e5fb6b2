import { Queue, type ConnectionOptions } from "bullmq";
import {
  LIBRARY_WARM_QUEUE,
  type WARM_SCHEDULER_ID,
  type WarmJobData,
  IMPORT_QUEUE,
  MAINTENANCE_QUEUE,
  MEDIA_ARCHIVE_QUEUE,
  SYNC_QUEUE,
  type ImportJobData,
  type MediaArchiveJobData,
  type SyncJobData,
  type SyncModeName,
  type SyncTriggerName,
} from "~/shared/queues";

// The names and payloads are the shared contract (src/shared/queues.ts); this module makes the
// BullMQ queues. Re-exported so web and worker code can import both from here.
export * from "~/shared/queues";

/** Sync and import jobs: 5 attempts with exponential backoff; history kept for the admin console, bounded. */
const RUN_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
} as const;

export type ImportQueue = Queue<ImportJobData, void, "import">;

export function createImportQueue(connection: ConnectionOptions, prefix: string): ImportQueue {
  return new Queue<ImportJobData, void, "import">(IMPORT_QUEUE, { connection, prefix, defaultJobOptions: RUN_JOB_OPTIONS });
}

/**
 * BullMQ priority (lower runs first): a person pressing Sync comes first, full syncs next, and
 * the scheduler's background refreshes last.
 */
export function syncPriority(mode: SyncModeName, trigger: SyncTriggerName): number {
  if (trigger === "scheduled") return 3;
  return mode === "full" ? 2 : 1;
}

export type SyncQueue = Queue<SyncJobData, void, "sync">;
export type MaintenanceQueue = Queue<Record<string, never>, unknown, "freshness-scan">;

export function createSyncQueue(connection: ConnectionOptions, prefix: string): SyncQueue {
  return new Queue<SyncJobData, void, "sync">(SYNC_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: RUN_JOB_OPTIONS,
  });
}

export function createMaintenanceQueue(connection: ConnectionOptions, prefix: string): MaintenanceQueue {
  return new Queue(MAINTENANCE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: { count: 200 }, removeOnFail: { count: 200 } },
  });
}

export type MediaArchiveQueue = Queue<MediaArchiveJobData, unknown, "archive">;

export function createMediaArchiveQueue(connection: ConnectionOptions, prefix: string): MediaArchiveQueue {
  return new Queue<MediaArchiveJobData, unknown, "archive">(MEDIA_ARCHIVE_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      // A job is idempotent (stored files are skipped), so a retry only fetches what failed.
      attempts: 5,
      backoff: { type: "exponential", delay: 5_000 },
      removeOnComplete: { age: 24 * 3600, count: 2_000 },
      removeOnFail: { age: 7 * 24 * 3600, count: 2_000 },
    },
  });
}

/**
 * Library cache warming (src/server/library/warm.ts): "user" jobs warm one person's default view
 * after a sync, import or bulk edit; "scan" jobs, run by a job scheduler, warm the people whose
 * usual hour is coming up. Low priority: a warm is never worth delaying anything else.
 */
export { LIBRARY_WARM_QUEUE, WARM_SCHEDULER_ID, WARM_SCAN_EVERY_MS, warmJobData, warmReasons, type WarmJobData } from "~/shared/queues";
export const WARM_PRIORITY = 100;
export type LibraryWarmQueue = Queue<WarmJobData | Record<string, never>, unknown, "user" | "scan" | typeof WARM_SCHEDULER_ID>;

export function createLibraryWarmQueue(connection: ConnectionOptions, prefix: string): LibraryWarmQueue {
  return new Queue(LIBRARY_WARM_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { priority: WARM_PRIORITY, removeOnComplete: { count: 500 }, removeOnFail: { count: 500 } },
  });
}

/** How long a warm waits for the next change of a burst (bulk edits come in bursts). */
export const WARM_DEBOUNCE_MS = 2_000;

/**
 * Queues a warm of the user's default view, debounced: changes within WARM_DEBOUNCE_MS of each
 * other end in one warm after the last (the waiting job is replaced, its delay restarted), so the
 * warm sees the final version of the library.
 */
export async function enqueueLibraryWarm(queue: LibraryWarmQueue, userId: string, reason: WarmJobData["reason"]): Promise<void> {
  await queue.add(
    "user",
    { userId, reason },
    { delay: WARM_DEBOUNCE_MS, deduplication: { id: `warm-${userId}`, ttl: WARM_DEBOUNCE_MS, extend: true, replace: true } },
  );
}
