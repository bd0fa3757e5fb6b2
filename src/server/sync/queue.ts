import { Queue, type ConnectionOptions } from "bullmq";
import {
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
