import type { SyncStatus } from "~/generated/prisma/client";

/** How a user's syncing stands, for the admin's user list. */
export const userSyncStatuses = ["ok", "syncing", "waiting_for_x", "needs_relogin", "failed"] as const;
export type UserSyncStatus = (typeof userSyncStatuses)[number];

export interface LatestRunFacts {
  status: SyncStatus;
  waitingUntil: Date | null;
}

/**
 * From the user's latest sync run and their X account: a login X refused comes first (nothing
 * syncs until they log in again), then an open run (waiting for X while its wait lasts, else
 * syncing), then how the last run ended. No run yet counts as ok.
 */
export function userSyncStatus(
  latest: LatestRunFacts | null,
  account: { needsReauthAt: Date | null } | null,
  now: number = Date.now(),
): UserSyncStatus {
  if (!account || account.needsReauthAt) return "needs_relogin";
  if (!latest) return "ok";
  switch (latest.status) {
    case "QUEUED":
    case "RUNNING":
      return latest.waitingUntil && latest.waitingUntil.getTime() > now ? "waiting_for_x" : "syncing";
    case "FAILED":
      return "failed";
    case "SUCCEEDED":
      return "ok";
  }
}
