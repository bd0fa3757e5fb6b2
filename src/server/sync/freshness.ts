import type { Db } from "~/server/db";
import { X_PROVIDER } from "~/server/x/tokens";
import { OPEN_STATUSES } from "~/shared/sync";
import { FRESHNESS_SCAN_EVERY_MS } from "./queue";
import { QueueBusyError, startSync, type SyncStarterDeps } from "./start";

export { DEFAULT_FRESHNESS_MINUTES, FRESHNESS_CHOICES } from "~/lib/freshness";

/**
 * Users whose library is older than their freshness window: scheduled syncs on, a successful sync
 * before (a library that was never synced waits for its owner's first Sync), the X login usable,
 * no sync open, and no failure within the window (a sync that keeps failing, e.g. on X's usage
 * cap, is not retried every ten minutes). Oldest first.
 */
export async function staleUsers(db: Db, limit: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM "User" u
    JOIN "Account" a ON a."userId" = u.id AND a.provider = ${X_PROVIDER} AND a."needsReauthAt" IS NULL
    WHERE u."freshnessMinutes" IS NOT NULL
      AND u."lastSyncedAt" < timezone('utc', now()) - make_interval(mins => u."freshnessMinutes")
      AND NOT EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."userId" = u.id AND r.status::text = ANY(${OPEN_STATUSES}))
      AND NOT EXISTS (SELECT 1 FROM "SyncRun" r WHERE r."userId" = u.id AND r.status = 'FAILED'
                        AND r."finishedAt" > timezone('utc', now()) - make_interval(mins => u."freshnessMinutes"))
    ORDER BY u."lastSyncedAt"
    LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * The scheduler's scan: a low-priority incremental sync for every stale user, until the queue
 * reaches its cap (the rest wait for the next scan).
 */
export async function enqueueStaleSyncs(deps: SyncStarterDeps): Promise<{ enqueued: number; busy: boolean }> {
  const users = await staleUsers(deps.db, deps.queueCap);
  let enqueued = 0;
  for (const userId of users) {
    try {
      const { created } = await startSync(deps, userId, "incremental", "scheduled");
      if (created) enqueued++;
    } catch (e) {
      if (e instanceof QueueBusyError) return { enqueued, busy: true };
      throw e;
    }
  }
  return { enqueued, busy: false };
}

/**
 * When the scheduler will next sync this user: the first scan at or after the moment the library
 * turns stale. `schedulerNext` is the scheduler's next run (null when none is registered).
 */
export function nextScheduledSync(
  user: { freshnessMinutes: number | null; lastSyncedAt: Date | null },
  schedulerNext: number | null,
  now = Date.now(),
): Date | null {
  if (user.freshnessMinutes === null || user.lastSyncedAt === null || schedulerNext === null) return null;
  const due = user.lastSyncedAt.getTime() + user.freshnessMinutes * 60_000;
  let next = Math.max(schedulerNext, now);
  if (due > next) next += Math.ceil((due - next) / FRESHNESS_SCAN_EVERY_MS) * FRESHNESS_SCAN_EVERY_MS;
  return new Date(next);
}
