import { z } from "zod";
import { syncModes } from "./queues";

/**
 * Sync and import runs as web, worker and browser see them: the statuses stored on a run (the
 * Prisma enums SyncStatus and ImportStatus), and the progress events the worker publishes.
 */
export const RUN_STATUSES = ["QUEUED", "RUNNING", "SUCCEEDED", "FAILED"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
/** A run that is not over yet: at most one per user (sync), and the one the panels follow. */
export const OPEN_STATUSES = ["QUEUED", "RUNNING"] as const satisfies readonly RunStatus[];
export type OpenStatus = (typeof OPEN_STATUSES)[number];
export const FINISHED_STATUSES = ["SUCCEEDED", "FAILED"] as const satisfies readonly RunStatus[];

export function isOpenStatus(status: string): status is OpenStatus {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}

export const syncPhases = ["queued", "fetching", "saving", "waiting_rate_limit", "retrying", "done", "failed"] as const;
export type SyncPhase = (typeof syncPhases)[number];

export const syncProgressEvent = z.object({
  runId: z.string(),
  userId: z.string(),
  mode: z.enum(syncModes),
  phase: z.enum(syncPhases),
  pages: z.number().int(),
  fetched: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  skipped: z.number().int(),
  /** X reports no total; this is our best estimate (null while unknown). */
  estimatedTotal: z.number().int().nullable(),
  /** 0–100 */
  percent: z.number(),
  startedAt: z.string().nullable(),
  elapsedMs: z.number().int(),
  etaMs: z.number().int().nullable(),
  /** Words for the person: what is happening or what went wrong. */
  message: z.string().nullable(),
  /** When a wait ends (rate limit, retry), ISO time. */
  resumeAt: z.string().nullable(),
  at: z.string(),
});
export type SyncProgressEvent = z.infer<typeof syncProgressEvent>;

export const importProgressEvent = z.object({
  importId: z.string(),
  userId: z.string(),
  kind: z.enum(["archive", "exporter"]),
  phase: z.enum(syncPhases),
  /** Distinct bookmarks in the file. */
  total: z.number().int(),
  /** Items of the file worked through so far (the checkpoint). */
  parsed: z.number().int(),
  /** Posts fetched from X. */
  fetched: z.number().int(),
  /** New bookmarks saved. */
  saved: z.number().int(),
  /** Already in the library: left as they are. */
  skipped: z.number().int(),
  /** X no longer serves the post: kept as a stub. */
  deletedOnX: z.number().int(),
  apiCalls: z.number().int(),
  costUsd: z.number(),
  /** 0–100 */
  percent: z.number(),
  message: z.string().nullable(),
  resumeAt: z.string().nullable(),
  at: z.string(),
});
export type ImportProgressEvent = z.infer<typeof importProgressEvent>;
