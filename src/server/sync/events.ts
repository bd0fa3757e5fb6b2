import type { ImportStatus, SyncStatus } from "~/generated/prisma/client";
import type { RunStatus } from "~/shared/sync";

// The events' schemas (sync and import progress) are the shared contract: src/shared/sync.ts.
export * from "~/shared/sync";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** A type error when the schema's run statuses and RUN_STATUSES part (a status added to one only). */
export const RUN_STATUSES_MATCH_SCHEMA: Same<RunStatus, SyncStatus> & Same<RunStatus | "PREVIEW", ImportStatus> = true;

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
  /** Pub/sub channel: one user's sessions or role changed (session-events.ts). */
  sessionsChanged: (userId: string) => `xb:sessions:${userId}`,
};
