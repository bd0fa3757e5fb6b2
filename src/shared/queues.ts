import { z } from "zod";

/**
 * The queues: BullMQ names, the short keys the admin console uses, and the job payloads. Shared
 * by the web (producer, admin console), the worker (consumer) and the browser (admin pages).
 */
export const SYNC_QUEUE = "bookmark-sync";
/** Imports of an archive or exporter file (see src/server/import/). */
export const IMPORT_QUEUE = "bookmark-import";
/** Housekeeping jobs of the worker (the freshness scan), run by a BullMQ job scheduler. */
export const MAINTENANCE_QUEUE = "sync-maintenance";
/** Media archive: downloads what a batch of a user's posts shows into the media store. */
export const MEDIA_ARCHIVE_QUEUE = "media-archive";

/** Every queue by its short key, in the console's order. The one list: keys derive from it. */
export const QUEUE_NAMES = { sync: SYNC_QUEUE, import: IMPORT_QUEUE, maintenance: MAINTENANCE_QUEUE, media: MEDIA_ARCHIVE_QUEUE } as const;
export type QueueKey = keyof typeof QUEUE_NAMES;
export const QUEUE_KEYS = Object.keys(QUEUE_NAMES) as QueueKey[];
export const queueKeySchema = z.enum(QUEUE_KEYS as [QueueKey, ...QueueKey[]]);

export function isQueueKey(v: string | null | undefined): v is QueueKey {
  return v != null && Object.hasOwn(QUEUE_NAMES, v);
}

/** The short key of a BullMQ queue name (the audit log records BullMQ's names). */
export function queueKeyOf(bullName: string): QueueKey | null {
  return QUEUE_KEYS.find((k) => QUEUE_NAMES[k] === bullName) ?? null;
}

/**
 * The job states the admin console lists and counts, in the order a job goes through them.
 * "paused": waiting jobs of a paused queue (BullMQ 6 has no paused list of its own).
 */
export const JOB_STATES = ["waiting", "prioritized", "active", "delayed", "paused", "completed", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

export function isJobState(v: string | null | undefined): v is JobState {
  return (JOB_STATES as readonly string[]).includes(v ?? "");
}

export const FRESHNESS_SCHEDULER_ID = "freshness-scan";
export const FRESHNESS_SCAN_EVERY_MS = 10 * 60_000;

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

/** An import job carries ids only: the file's items are staged in Postgres (ImportItem). */
export const importJobData = z.object({ userId: z.string().min(1), importId: z.string().min(1) });
export type ImportJobData = z.infer<typeof importJobData>;

/** Posts per media-archive job (one sync page at most). */
export const MEDIA_ARCHIVE_BATCH = 100;
export const mediaArchiveJobData = z.object({
  userId: z.string().min(1),
  postIds: z
    .array(z.string().regex(/^\d{1,19}$/))
    .min(1)
    .max(MEDIA_ARCHIVE_BATCH),
});
export type MediaArchiveJobData = z.infer<typeof mediaArchiveJobData>;

/**
 * Library cache warming (src/server/library/warm.ts): "user" jobs warm one person's default view
 * after a sync, import or bulk edit; "scan" jobs, run by a job scheduler, warm the people whose
 * usual hour is coming up. Not in the admin console's QUEUE_NAMES (yet): its jobs are cheap and
 * disposable; its counts are in the worker's `xb_queue_jobs` metric.
 */
export const LIBRARY_WARM_QUEUE = "library-warm";
export const WARM_SCHEDULER_ID = "library-warm-scan";
export const WARM_SCAN_EVERY_MS = 15 * 60_000;
export const warmReasons = ["sync", "import", "bulk"] as const;
export const warmJobData = z.object({ userId: z.string().min(1), reason: z.enum(warmReasons) });
export type WarmJobData = z.infer<typeof warmJobData>;

/**
 * Writes to a person's bookmarks on X (remove, add back), one job per post, and drains (rounds of
 * sync-then-remove-the-oldest-on-X). Not in QUEUE_NAMES yet: the admin console does not list them.
 */
export const X_WRITE_QUEUE = "x-bookmark-write";
export const xWriteJobData = z.object({ userId: z.string().min(1), writeId: z.string().min(1) });
export type XWriteJobData = z.infer<typeof xWriteJobData>;
export const X_DRAIN_QUEUE = "x-bookmark-drain";
export const xDrainJobData = z.object({ userId: z.string().min(1), drainId: z.string().min(1) });
export type XDrainJobData = z.infer<typeof xDrainJobData>;
