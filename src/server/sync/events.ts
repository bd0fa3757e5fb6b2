import { z } from "zod";
import { syncModes } from "./queue";

/** Redis channels and the events that travel on them, shared by web and worker. */
export const channels = {
  /** Sync progress of one user's runs; the web forwards it to that user's sockets only. */
  syncProgress: (userId: string) => `xb:user:${userId}:sync`,
  /** Progress of one user's imports (ImportProgressEvent), forwarded like sync progress. */
  importProgress: (userId: string) => `xb:user:${userId}:import`,
  /** Every committed change to one user's library (`{ id, change }`, see library/changes.ts). */
  libraryChanges: (userId: string) => `xb:user:${userId}:lib`,
};

/** Redis keys written by the worker and read by the web (the admin page). */
export const redisKeys = {
  /** One worker's circuit-breaker state (JSON BreakerSnapshot, expires when the worker is gone). */
  breaker: (prefix: string, workerId: string) => `${prefix}:x-breaker:${workerId}`,
  breakerPattern: (prefix: string) => `${prefix}:x-breaker:*`,
  /**
   * One user's X rate-limit state from X's last answer to the worker (a hash: endpoint, limit,
   * remaining, resetAt, at; expires a minute after X's window resets).
   */
  xRateLimit: (prefix: string, userId: string) => `${prefix}:x-rate:${userId}`,
  xRateLimitPattern: (prefix: string) => `${prefix}:x-rate:*`,
  /**
   * One user's library change feed: a stream capped near 1,000 entries (field `json`: a
   * LibraryChange), expiring a day after its last write. Subscribers resume from its ids.
   */
  libraryChanges: (userId: string) => `xb:lib:${userId}:changes`,
};

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
