import type { Redis } from "ioredis";
import type { Db } from "~/server/db";
import type { LibraryCache } from "./cache";
import { defaultViewReads } from "./reads";
import { usersDueForWarm } from "./usage";

/**
 * Cache warming: prepares a person's default library view (first page, count, tag and category
 * lists) in Redis so their next open is a hit. Runs in the worker (worker/warm-worker.ts), from
 * jobs of the `library-warm` queue: after a sync, an import or a bulk edit, and on a schedule
 * shortly before each active person's usual hour (usage.ts).
 */

export interface WarmDeps {
  db: Db;
  redis: Redis;
  /** The worker's own LibraryCache on the same Redis as the web's: same keys, same format. */
  cache: LibraryCache;
}

export interface WarmSettings {
  /** Lifetime of warmed entries, s (longer than a read's: a scheduled warm runs ahead of the visit). */
  ttlSeconds: number;
  /** Users warmed at once by a scheduled scan. */
  batchSize: number;
  /** Pause between two batches, ms (spreads the database load of a scan). */
  batchDelayMs: number;
  /** How far ahead a scan looks for usual hours, ms. */
  lookaheadMs: number;
}

export interface WarmCounts {
  /** Entries loaded and stored. */
  warmed: number;
  /** Entries already in the cache (skipped). */
  cached: number;
}

/** Warms one user's default view; entries already cached are left alone. */
export async function warmDefaultView(deps: WarmDeps, userId: string, ttlSeconds: number): Promise<WarmCounts> {
  const counts: WarmCounts = { warmed: 0, cached: 0 };
  for (const read of defaultViewReads(deps.db, userId)) counts[await deps.cache.warm(userId, read, ttlSeconds)]++;
  await deps.cache.markWarmed(userId, ttlSeconds);
  return counts;
}

/** Marker: this user was warmed ahead of this hour already (scans run several times an hour). */
const slotKey = (userId: string, hour: number) => `xb:lib:${userId}:warm-slot:${hour}`;

export interface ScanResult extends WarmCounts {
  /** Users whose usual hour is coming up. */
  due: number;
  /** Of those, warmed by this scan (the others were warmed for this hour by an earlier scan). */
  users: number;
  batches: number;
}

/**
 * The scheduled warm: the users whose usual hour starts within `lookaheadMs`, in batches of
 * `batchSize` with `batchDelayMs` between them; each user once per hour, skipping cached entries.
 */
export async function warmDueUsers(
  deps: WarmDeps,
  settings: WarmSettings,
  opts: { now?: Date; signal?: AbortSignal; onBatch?: (r: ScanResult) => void } = {},
): Promise<ScanResult> {
  const now = opts.now ?? new Date();
  const due = await usersDueForWarm(deps.redis, now, settings.lookaheadMs);
  const hour = Math.floor((now.getTime() + settings.lookaheadMs) / 3600_000);
  const result: ScanResult = { due: due.length, users: 0, batches: 0, warmed: 0, cached: 0 };
  for (let i = 0; i < due.length; i += settings.batchSize) {
    if (opts.signal?.aborted) break;
    if (i > 0) await new Promise((r) => setTimeout(r, settings.batchDelayMs));
    const batch = due.slice(i, i + settings.batchSize);
    await Promise.all(
      batch.map(async (userId) => {
        const first = await deps.redis.set(slotKey(userId, hour), "1", "EX", 2 * 3600, "NX");
        if (first === null) return;
        const c = await warmDefaultView(deps, userId, settings.ttlSeconds);
        result.users++;
        result.warmed += c.warmed;
        result.cached += c.cached;
      }),
    );
    result.batches++;
    opts.onBatch?.(result);
  }
  return result;
}
