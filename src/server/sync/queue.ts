import { Queue, type ConnectionOptions } from "bullmq";
import { z } from "zod";

/** Queue names and job payloads, shared by the web (producer) and the worker (consumer). */
export const SYNC_QUEUE = "bookmark-sync";
/** Housekeeping jobs of the worker (the freshness scan), run by a BullMQ job scheduler. */
export const MAINTENANCE_QUEUE = "sync-maintenance";
export const FRESHNESS_SCHEDULER_ID = "freshness-scan";
export const FRESHNESS_SCAN_EVERY_MS = 10 * 60_000;

/** Sync and import jobs: 5 attempts with exponential backoff; history kept for the admin console, bounded. */
const RUN_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: 2_000 },
  removeOnComplete: { age: 7 * 24 * 3600, count: 5_000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 5_000 },
} as const;

/** Imports of an archive or exporter file (see src/server/import/). */
export const IMPORT_QUEUE = "bookmark-import";

/** An import job carries ids only: the file's items are staged in Postgres (ImportItem). */
export const importJobData = z.object({ userId: z.string().min(1), importId: z.string().min(1) });
export type ImportJobData = z.infer<typeof importJobData>;
export type ImportQueue = Queue<ImportJobData, void, "import">;

export function createImportQueue(connection: ConnectionOptions, prefix: string): ImportQueue {
  return new Queue<ImportJobData, void, "import">(IMPORT_QUEUE, { connection, prefix, defaultJobOptions: RUN_JOB_OPTIONS });
}

export const syncModes = ["incremental", "full"] as const;
export type SyncModeName = (typeof syncModes)[number];
export const syncTriggers = ["manual", "scheduled"] as const;
export type SyncTriggerName = (typeof syncTriggers)[number];

/** A sync job carries ids only: tokens and bookmark data stay in Postgres. */
export const syncJobData = z.object({
  userId: z.string().min(1),
  runId: z.string().min(1),
  mode: z.enum(syncModes),
  trigger: z.enum(syncTriggers).default("manual"),
});
export type SyncJobData = z.input<typeof syncJobData>;
/** A job's payload after validation (defaults applied). */
export type SyncJob = z.output<typeof syncJobData>;

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

/** Media archive: downloads what a batch of a user's posts shows into the media store. */
export const MEDIA_ARCHIVE_QUEUE = "media-archive";
/** Posts per media-archive job (one sync page at most). */
export const MEDIA_ARCHIVE_BATCH = 100;
export const mediaArchiveJobData = z.object({
  userId: z.string().min(1),
  postIds: z.array(z.string().regex(/^\d{1,19}$/)).min(1).max(MEDIA_ARCHIVE_BATCH),
});
export type MediaArchiveJobData = z.infer<typeof mediaArchiveJobData>;
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
export const LIBRARY_WARM_QUEUE = "library-warm";
export const WARM_SCHEDULER_ID = "library-warm-scan";
export const WARM_SCAN_EVERY_MS = 15 * 60_000;
export const WARM_PRIORITY = 100;
export const warmReasons = ["sync", "import", "bulk"] as const;
export const warmJobData = z.object({ userId: z.string().min(1), reason: z.enum(warmReasons) });
export type WarmJobData = z.infer<typeof warmJobData>;
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
  await queue.add("user", { userId, reason }, { delay: WARM_DEBOUNCE_MS, deduplication: { id: `warm-${userId}`, ttl: WARM_DEBOUNCE_MS, extend: true, replace: true } });
}
