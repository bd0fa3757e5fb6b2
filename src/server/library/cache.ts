import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import superjson from "superjson";
import { createLogger } from "~/server/logger";
import { webMetrics } from "~/server/metrics";
import { withTimeout } from "~/server/redis";
import type { LibraryRead } from "./reads";
import { recordLibraryAccess } from "./usage";

/**
 * Read-through cache for library pages (bookmark lists, counts…): an in-process LRU in front of
 * Redis in front of the database.
 *
 * Invalidation is a per-user version number that is part of every key: bumping it (one INCR)
 * orphans everything cached for that user at once, with no key scans. Orphaned entries are
 * never read again and expire on their own (Redis TTL, LRU TTL/eviction).
 */

const logger = createLogger("library-cache");

/** Redis keys of the library cache (kept here, next to their only user). */
export const libraryKeys = {
  /** The user's library version; INCR on every change. No TTL: one small key per user, and
   *  letting it expire could bring an old version number, and its entries, back. */
  version: (userId: string) => `xb:lib:${userId}:ver`,
  /** One cached answer: `name` is the query (e.g. "bookmarks.list"), `hash` identifies its input. */
  entry: (userId: string, version: string, name: string, hash: string) => `xb:lib:${userId}:v${version}:${name}:${hash}`,
  /** Set (with a TTL) on every change: the user's reads stay on the primary meanwhile (db-replica.ts). */
  recentWrite: (userId: string) => `xb:lib:${userId}:wrote`,
  /** Set by a cache warm (worker), taken by the user's next read: was that read a hit? (metrics) */
  warmed: (userId: string) => `xb:lib:${userId}:warmed`,
};

/** JSON of `value` with object keys sorted and undefined properties dropped, so equal inputs hash equally. */
export function stableJson(value: unknown): string {
  return JSON.stringify(normalise(value)) ?? "null";
}

function normalise(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "bigint") return { $bigint: value.toString() };
  if (value !== null && typeof value === "object") {
    const proto = Object.getPrototypeOf(value) as unknown;
    // Dates and other class instances serialise through their own toJSON.
    if (proto !== Object.prototype && proto !== null) return value;
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort()
        .map((k) => [k, normalise(obj[k])]),
    );
  }
  return value;
}

export function inputHash(input: unknown): string {
  return createHash("sha1").update(stableJson(input)).digest("base64url");
}

/** The bump behind LibraryCache.invalidate. The app's writes invalidate through the change feed
 *  instead (src/server/library/changes.ts), whose publish script does this same INCR atomically
 *  with the event. Rejects if Redis does. */
export async function bumpLibraryVersion(redis: Redis, userId: string): Promise<void> {
  await redis.incr(libraryKeys.version(userId));
}

const WARN_EVERY_MS = 30_000;

export class LibraryCache {
  private readonly redis: Redis;
  private readonly ttlSeconds: number;
  private readonly timeoutMs: number;
  // Boxed: lru-cache cannot hold null/undefined, which a load() may legitimately return.
  private readonly memory: LRUCache<string, { value: unknown }>;
  // Users whose access this process recorded in the current hour (usage.ts): one Redis call per
  // user and hour, not per read.
  private readonly seen = new LRUCache<string, true>({ max: 10_000, ttl: 3600_000 });
  private lastWarnAt = Number.NEGATIVE_INFINITY;
  private suppressedWarnings = 0;

  constructor(opts: {
    redis: Redis;
    /** Entries kept in this process. Default 500. */
    lruMax?: number;
    /** Lifetime of an entry, in Redis and in memory. Default 600. */
    ttlSeconds?: number;
    /** A Redis command slower than this counts as Redis being down. Default 500. */
    timeoutMs?: number;
  }) {
    this.redis = opts.redis;
    this.ttlSeconds = opts.ttlSeconds ?? 600;
    this.timeoutMs = opts.timeoutMs ?? 500;
    this.memory = new LRUCache({ max: opts.lruMax ?? 500, ttl: this.ttlSeconds * 1000 });
  }

  /**
   * Read-through: in-process LRU, then Redis, then `load()`; a loaded value is stored in both.
   *
   * The value may be shared with other callers (it comes from the in-process LRU): treat it as
   * read-only. Redis trouble never fails a read: it is logged (at most every 30 s) and answered
   * by `load()`. Put a shape version into `name` when the answer's shape changes, so a deploy
   * does not serve entries written by the previous code.
   */
  async read<T>(userId: string, name: string, input: unknown, load: () => Promise<T>): Promise<T> {
    const metrics = webMetrics();
    let version: string;
    let warmed: string | null;
    try {
      // The warm marker rides along with the version: no extra round trip.
      const [v, w] = await this.withTimeout(this.redis.mget(libraryKeys.version(userId), libraryKeys.warmed(userId)));
      version = v ?? "0";
      warmed = w ?? null;
    } catch (err) {
      // Without the version even the in-process copy may be stale: go to the database.
      this.warn(err, "version");
      metrics.libraryCacheRead("bypass");
      return load();
    }
    // The version is read before load() on purpose: if an invalidation lands while load() runs,
    // the (possibly stale) value is stored under the old version, which no later read asks for.
    const key = libraryKeys.entry(userId, version, name, inputHash(input));
    this.recordAccess(userId);

    const inMemory = this.memory.get(key);
    if (inMemory) {
      metrics.libraryCacheRead("memory");
      if (warmed !== null) this.firstReadAfterWarm(userId, true);
      return inMemory.value as T;
    }

    let stored: string | null = null;
    try {
      stored = await this.withTimeout(this.redis.get(key));
    } catch (err) {
      this.warn(err, "get");
    }
    if (stored !== null) {
      try {
        const value = superjson.parse<T>(stored);
        this.memory.set(key, { value });
        metrics.libraryCacheRead("redis");
        if (warmed !== null) this.firstReadAfterWarm(userId, true);
        return value;
      } catch (err) {
        this.warn(err, "parse"); // unreadable entry: load and overwrite it
      }
    }

    metrics.libraryCacheRead("load");
    if (warmed !== null) this.firstReadAfterWarm(userId, false);
    const value = await load();
    this.memory.set(key, { value });
    // The write-back waits until the answer is on its way: serialising a page costs about a
    // millisecond, which the person waiting for this page need not pay (measured in bench:read).
    setImmediate(() => {
      // Best effort: with Redis reconnecting or closed (shutdown), the entry is simply not kept.
      if (this.redis.status !== "ready") return;
      try {
        this.redis.set(key, superjson.stringify(value), "EX", this.ttlSeconds).catch((err: unknown) => {
          if (this.redis.status !== "end") this.warn(err, "set"); // closed for shutdown: nothing to say
        });
      } catch (err) {
        this.warn(err, "set");
      }
    });
    return value;
  }

  /** read() with a description from reads.ts (the routers' way: the same keys as the warm's). */
  through<T>(userId: string, read: LibraryRead<T>): Promise<T> {
    return this.read(userId, read.name, read.input, read.load);
  }

  /**
   * Prepares one answer in Redis for the user's next read, unless it is there already: resolves
   * to "cached" (skipped) or "warmed". Runs in the worker; unlike read(), Redis errors reject.
   * `ttlSeconds` may be longer than a read's: a scheduled warm runs ahead of the person's visit,
   * and a version bump orphans the entry anyway.
   */
  async warm(userId: string, read: LibraryRead<unknown>, ttlSeconds = this.ttlSeconds): Promise<"cached" | "warmed"> {
    const version = (await this.withTimeout(this.redis.get(libraryKeys.version(userId)))) ?? "0";
    const key = libraryKeys.entry(userId, version, read.name, inputHash(read.input));
    if ((await this.withTimeout(this.redis.exists(key))) === 1) return "cached";
    const value = await read.load();
    await this.withTimeout(this.redis.set(key, superjson.stringify(value), "EX", ttlSeconds));
    return "warmed";
  }

  /** After a warm: the user's next read reports whether it was a hit (xb_library_warm_first_reads_total). */
  async markWarmed(userId: string, ttlSeconds = this.ttlSeconds): Promise<void> {
    await this.withTimeout(this.redis.set(libraryKeys.warmed(userId), "1", "EX", ttlSeconds));
  }

  private firstReadAfterWarm(userId: string, hit: boolean) {
    // DEL answers 1 to one reader only: concurrent first reads (a page's batch) count once.
    this.redis
      .del(libraryKeys.warmed(userId))
      .then((n) => {
        if (n === 1) webMetrics().warmFirstRead(hit);
      })
      .catch(() => undefined);
  }

  private recordAccess(userId: string) {
    const slot = `${userId}:${Math.floor(Date.now() / 3600_000)}`;
    if (this.seen.has(slot)) return;
    this.seen.set(slot, true);
    recordLibraryAccess(this.redis, userId).catch((err: unknown) => this.warn(err, "usage"));
  }

  /**
   * Drops everything cached for the user (every process sees the new version on its next read).
   * Unlike read(), this rejects when Redis fails: a write must not report success while its
   * user keeps being served the old pages. Call it after the change is committed.
   */
  async invalidate(userId: string): Promise<void> {
    await this.withTimeout(bumpLibraryVersion(this.redis, userId));
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    return withTimeout(p, this.timeoutMs);
  }

  private warn(err: unknown, op: string) {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_EVERY_MS) {
      this.suppressedWarnings++;
      return;
    }
    logger.warn({ err, op, suppressed: this.suppressedWarnings }, "library cache: Redis failed, answering without the cache");
    this.lastWarnAt = now;
    this.suppressedWarnings = 0;
  }
}
