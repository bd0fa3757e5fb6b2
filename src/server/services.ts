import type { Redis } from "ioredis";
import { env } from "~/env";
import { QueueEventHub } from "./admin/queue-events";
import { createPrisma, db, webPoolTimeouts, type Db } from "./db";
import { ReadRouter } from "./db-replica";
import { LibraryCache } from "./library/cache";
import { isBulkChange, LibraryFeed } from "./library/changes";
import { RateLimits, type LimitSettings } from "./limits/rate-limits";
import { createLogger } from "./logger";
import { RedisFanout } from "./pubsub";
import { createRedis } from "./redis";
import { ProgressPublisher } from "./sync/progress";
import {
  createImportQueue,
  createLibraryWarmQueue,
  createMaintenanceQueue,
  createMediaArchiveQueue,
  createSyncQueue,
  enqueueLibraryWarm,
  type ImportQueue,
  type LibraryWarmQueue,
  type MaintenanceQueue,
  type MediaArchiveQueue,
  type SyncQueue,
} from "./sync/queue";
import { createXDrainQueue, createXWriteQueue, type XDrainQueue, type XWriteQueue } from "./x-writes/queue";

/** What the web's request handlers use besides the database: the queues and Redis pub/sub. */
export interface WebServices {
  db: Db;
  /** Where a library read goes: the read replica when it is fresh enough for that user, else db. */
  reads: ReadRouter;
  syncQueue: SyncQueue;
  /** Imports of archive and exporter files (confirmed on the Import page). */
  importQueue: ImportQueue;
  /** The worker's housekeeping queue (read here for the freshness scheduler's next run). */
  maintenanceQueue: MaintenanceQueue;
  /** The media archive's queue (admin console; imports queue their posts' media here). */
  mediaQueue: MediaArchiveQueue;
  /** Cache warms (the worker's): queued after bulk edits. */
  warmQueue: LibraryWarmQueue;
  /** Writes to people's bookmarks on X (remove, add back) that they asked for. */
  xWriteQueue: XWriteQueue;
  /** Drains (save here, remove the oldest on X, fetch the next ones) that people started. */
  xDrainQueue: XDrainQueue;
  progress: ProgressPublisher;
  fanout: RedisFanout;
  /** Read-through cache of library pages, invalidated on every write to a user's library. */
  cache: LibraryCache;
  /**
   * Every write to a user's library ends with `library.changed(userId, change)` after its commit:
   * it invalidates the cache and publishes the change to the user's sockets (library/changes.ts).
   */
  library: LibraryFeed;
  /** Backpressure: waiting sync jobs at which new syncs are refused. */
  queueCap: number;
  /** Sync jobs a worker runs at once (for the "try again in N s" estimate). */
  concurrency: number;
  /** A general Redis connection (the admin page's reads: breaker and rate-limit keys, INFO). */
  redis: Redis;
  /** The BullMQ key prefix (the worker's Redis keys live under it too). */
  prefix: string;
  /** BullMQ QueueEvents of the queues, shared by every admin socket (started on first use). */
  queueEvents: QueueEventHub;
  /** Per-user and per-IP limits (calls, sync starts, exports, log-ins), shared through Redis. */
  limits: RateLimits;
  close(): Promise<void>;
}

/** The limits as configured (env.ts); tests and benchmarks override some. */
export function limitSettingsFromEnv(): LimitSettings {
  return {
    callsPerMinute: env.RATE_LIMIT_CALLS_PER_MINUTE,
    syncStartsPerHour: env.RATE_LIMIT_SYNC_STARTS_PER_HOUR,
    exportsPerHour: env.RATE_LIMIT_EXPORTS_PER_HOUR,
    loginsPerIp: env.RATE_LIMIT_LOGINS_PER_IP,
    exportMaxSeconds: env.EXPORT_MAX_SECONDS,
    importsPerHour: env.RATE_LIMIT_IMPORTS_PER_HOUR,
  };
}

export function createWebServices(opts: {
  db: Db;
  /** A streaming replica of db for library reads (DATABASE_REPLICA_URL). */
  replica?: Db | null;
  redisUrl: string;
  prefix: string;
  queueCap?: number;
  concurrency?: number;
  limits?: Partial<LimitSettings>;
}): WebServices {
  const producer = createRedis("producer", opts.redisUrl);
  const client = createRedis("client", opts.redisUrl);
  const subscriber = createRedis("subscriber", opts.redisUrl);
  const syncQueue = createSyncQueue(producer, opts.prefix);
  const importQueue = createImportQueue(producer, opts.prefix);
  const maintenanceQueue = createMaintenanceQueue(producer, opts.prefix);
  const mediaQueue = createMediaArchiveQueue(producer, opts.prefix);
  const warmQueue = createLibraryWarmQueue(producer, opts.prefix);
  const xWriteQueue = createXWriteQueue(producer, opts.prefix);
  const xDrainQueue = createXDrainQueue(producer, opts.prefix);
  const queueEvents = new QueueEventHub(subscriber, opts.prefix);
  const logger = createLogger("services");
  return {
    db: opts.db,
    reads: new ReadRouter(opts.db, opts.replica ?? null, client, { maxLagMs: env.REPLICA_MAX_LAG_MS }),
    syncQueue,
    importQueue,
    maintenanceQueue,
    mediaQueue,
    warmQueue,
    xWriteQueue,
    xDrainQueue,
    progress: new ProgressPublisher(client),
    fanout: new RedisFanout(subscriber),
    cache: new LibraryCache({ redis: client }),
    library: new LibraryFeed(client, undefined, (userId, change) => {
      if (!isBulkChange(change)) return;
      // Best effort: the edit is saved; without the warm the next open is only a little slower.
      enqueueLibraryWarm(warmQueue, userId, "bulk").catch((err: unknown) => logger.warn({ err, userId }, "could not queue a cache warm"));
    }),
    queueCap: opts.queueCap ?? env.SYNC_QUEUE_CAP,
    concurrency: opts.concurrency ?? env.SYNC_CONCURRENCY,
    redis: client,
    prefix: opts.prefix,
    queueEvents,
    // On the producer connection: it fails fast while Redis is away (the limits then fall back
    // to this process's memory) instead of queueing commands.
    limits: new RateLimits(producer, opts.prefix, { ...limitSettingsFromEnv(), ...opts.limits }),
    async close() {
      await Promise.allSettled([
        syncQueue.close(),
        importQueue.close(),
        maintenanceQueue.close(),
        mediaQueue.close(),
        warmQueue.close(),
        xWriteQueue.close(),
        xDrainQueue.close(),
        queueEvents.close(),
      ]);
      for (const r of [producer, client, subscriber]) r.disconnect();
    },
  };
}

// One set per process: Next's bundled route handlers and the custom server's WebSocket handler
// load separate copies of this module, so the instance lives on globalThis.
const g = globalThis as unknown as { webServices?: WebServices };
export function webServices(): WebServices {
  g.webServices ??= createWebServices({
    db,
    replica: env.DATABASE_REPLICA_URL ? createPrisma(env.DATABASE_REPLICA_URL, webPoolTimeouts()) : null,
    redisUrl: env.REDIS_URL,
    prefix: env.BULLMQ_PREFIX,
  });
  return g.webServices;
}
