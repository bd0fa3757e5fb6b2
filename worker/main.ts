import { createServer } from "node:http";
import { hostname } from "node:os";
import { MetricsTime, Worker } from "bullmq";
import { env, refuseBuildPhase } from "~/env";
import { closeDb, createPrisma } from "~/server/db";
import { createProbeHandler } from "~/server/health";
import { LibraryCache } from "~/server/library/cache";
import { publishLibraryChange } from "~/server/library/changes";
import { createLogger } from "~/server/logger";
import { enqueueMediaArchive } from "~/server/media/enqueue";
import { mediaStore } from "~/server/media/store";
import { createRedis } from "~/server/redis";
import { readPriceUsd } from "~/server/sync/cost";
import { redisKeys, type SyncProgressEvent } from "~/server/sync/events";
import { enqueueStaleSyncs } from "~/server/sync/freshness";
import { ProgressPublisher } from "~/server/sync/progress";
import {
  createLibraryWarmQueue,
  createMediaArchiveQueue,
  createMaintenanceQueue,
  createSyncQueue,
  enqueueLibraryWarm,
  FRESHNESS_SCAN_EVERY_MS,
  FRESHNESS_SCHEDULER_ID,
  MAINTENANCE_QUEUE,
  WARM_SCAN_EVERY_MS,
  WARM_SCHEDULER_ID,
} from "~/server/sync/queue";
import { saveUserRateLimit } from "~/server/sync/rate-limit-state";
import { workerName } from "~/server/sync/worker-name";
import { xConfig } from "~/server/x/config";
import { tokenKeyFromEnv } from "~/server/x/tokens";
import { createXWriteQueue } from "~/server/x-writes/queue";
import { createImportWorker } from "./import-worker";
import { createMediaWorker } from "./media-worker";
import { createWorkerMetrics } from "./metrics";
import { createSyncWorker } from "./sync-worker";
import { createWarmWorker } from "./warm-worker";
import { XBreaker, type BreakerSnapshot } from "./x-breaker";
import { createXDrainWorker } from "./x-drain-worker";
import { createXWriteWorker } from "./x-write-worker";

/**
 * The standalone worker process: runs sync jobs from BullMQ, reports progress via Redis, and runs
 * the freshness scheduler's scans.
 */
refuseBuildPhase();
const logger = createLogger("worker");
// Its own client, without the web's statement timeouts (why: webPoolTimeouts in src/server/db.ts).
const db = createPrisma(env.DATABASE_URL);
const workerId = `${hostname()}:${process.pid}`;
const connection = createRedis("worker");
const maintenanceConnection = createRedis("worker");
const client = createRedis("client");
const metrics = createWorkerMetrics();
const stopping = new AbortController();

const breaker = new XBreaker();
const saveBreaker = (s: BreakerSnapshot) =>
  client
    .set(redisKeys.breaker(env.BULLMQ_PREFIX, workerId), JSON.stringify({ ...s, workerId, at: new Date().toISOString() }), "EX", 60)
    .catch(() => undefined);
breaker.onChange((s) => {
  metrics.breaker(s);
  logger.warn({ breaker: s }, `X circuit breaker ${s.state}`);
  void saveBreaker(s);
});
const breakerHeartbeat = setInterval(() => void saveBreaker(breaker.snapshot()), 20_000);

// xb_bookmarks_ingested_total: a run's final event ("done", or "failed" for good) goes out exactly
// once, from runSync or the worker, with the run's totals; count those.
class CountingProgressPublisher extends ProgressPublisher {
  override publish(event: SyncProgressEvent): Promise<void> {
    if (event.phase === "done" || event.phase === "failed") metrics.runEnded(event);
    return super.publish(event);
  }
}
const progress = new CountingProgressPublisher(client);
const mediaQueue = createMediaArchiveQueue(client, env.BULLMQ_PREFIX);
const mediaConnection = createRedis("worker");
const mediaWorker = createMediaWorker({
  connection: mediaConnection,
  prefix: env.BULLMQ_PREFIX,
  concurrency: env.MEDIA_CONCURRENCY,
  workerId,
  logger,
  archived: (userId) => publishLibraryChange(client, userId, { kind: "sync", action: "media" }),
  deps: { db, store: mediaStore(), maxFileBytes: env.MEDIA_MAX_FILE_MB * 1024 * 1024, maxUserBytes: env.MEDIA_MAX_USER_MB * 1024 * 1024 },
});

// Sync and import queue the media of the posts they save (recorded as pending first: media/enqueue.ts).
const archiveMedia = (userId: string, postIds: string[]) => enqueueMediaArchive({ queue: mediaQueue, db }, userId, postIds);

// What sync and import jobs share: tokens, the breaker, prices, per-user rate-limit state, library changes.
const xWork = {
  tokens: { db, redis: client, key: tokenKeyFromEnv(), x: xConfig },
  x: xConfig,
  breaker,
  readPriceUsd: readPriceUsd(env),
  // Each user's X rate-limit state from X's last answer, for the admin page.
  onXCall: (userId: string, call: { path: string; rateLimit?: Parameters<typeof saveUserRateLimit>[4] }) => {
    if (call.rateLimit) void saveUserRateLimit(client, env.BULLMQ_PREFIX, userId, call.path, call.rateLimit).catch(() => undefined);
  },
  libraryChanged: async (userId: string, counts: { created: number; updated: number }) => {
    await publishLibraryChange(client, userId, { kind: "sync", action: "page", counts });
  },
};
// Cache warming: a finished sync or import queues a low-priority warm of the person's default
// library view; a job scheduler warms active people shortly before their usual hour.
const warmQueue = createLibraryWarmQueue(client, env.BULLMQ_PREFIX);
const warmAfterRun = (outcome: string, userId: string, reason: "sync" | "import") => {
  if (outcome !== "succeeded") return;
  enqueueLibraryWarm(warmQueue, userId, reason).catch((err: unknown) => logger.warn({ err, userId }, "could not queue a cache warm"));
};
const warmConnection = createRedis("worker");
const warmWorker = createWarmWorker({
  connection: warmConnection,
  prefix: env.BULLMQ_PREFIX,
  workerId,
  logger,
  stopping: stopping.signal,
  deps: { db, redis: client, cache: new LibraryCache({ redis: client }) },
  settings: {
    ttlSeconds: env.CACHE_WARM_TTL_SECONDS,
    batchSize: env.CACHE_WARM_BATCH,
    batchDelayMs: env.CACHE_WARM_BATCH_DELAY_MS,
    lookaheadMs: env.CACHE_WARM_LOOKAHEAD_MIN * 60_000,
  },
  onWarm: (c) => metrics.warm(c),
});

const worker = createSyncWorker({
  connection,
  prefix: env.BULLMQ_PREFIX,
  concurrency: env.SYNC_CONCURRENCY,
  workerId,
  logger,
  stopping: stopping.signal,
  lockMs: env.SYNC_LOCK_MS,
  onJobEnd: (outcome, job, ms) => {
    metrics.jobEnded(outcome, ms);
    warmAfterRun(outcome, job.data.userId, "sync");
  },
  services: {
    db,
    progress,
    ...xWork,
    archiveMedia,
  },
});

// Imports of archive and exporter files: the same breaker, rate-limit state, retries and job
// semantics as sync (one import at a time per worker process: they are long and X-bound).
const importConnection = createRedis("worker");
const importWorker = createImportWorker({
  connection: importConnection,
  prefix: env.BULLMQ_PREFIX,
  concurrency: 1,
  workerId,
  logger,
  stopping: stopping.signal,
  lockMs: env.SYNC_LOCK_MS,
  onJobEnd: (outcome, job) => warmAfterRun(outcome, job.data.userId, "import"),
  services: {
    db,
    redis: client,
    ...xWork,
    archiveMedia,
  },
});

// Writes to people's bookmarks on X that they asked for (remove, add back): the same breaker,
// retries and rate-limit waits.
const xWriteConnection = createRedis("worker");
const xWriteWorker = createXWriteWorker({
  connection: xWriteConnection,
  prefix: env.BULLMQ_PREFIX,
  workerId,
  logger,
  stopping: stopping.signal,
  lockMs: env.SYNC_LOCK_MS,
  services: { db, ...xWork },
});
// Drains: a full sync per round (the sync's own services), then removals through the write queue.
const xDrainConnection = createRedis("worker");
const xWriteQueue = createXWriteQueue(client, env.BULLMQ_PREFIX);
const xDrainWorker = createXDrainWorker({
  connection: xDrainConnection,
  prefix: env.BULLMQ_PREFIX,
  workerId,
  logger,
  stopping: stopping.signal,
  lockMs: env.SYNC_LOCK_MS,
  services: { db, progress, ...xWork, xWriteQueue },
});

// Freshness: a BullMQ job scheduler runs a scan every 10 minutes (one scan at a time across all
// workers); each scan queues low-priority incremental syncs for the users whose library is stale.
const syncQueue = createSyncQueue(client, env.BULLMQ_PREFIX);
const maintenanceQueue = createMaintenanceQueue(client, env.BULLMQ_PREFIX);
const maintenance = new Worker(
  MAINTENANCE_QUEUE,
  async (job) => {
    const r = await enqueueStaleSyncs({ db, syncQueue, progress, queueCap: env.SYNC_QUEUE_CAP, concurrency: env.SYNC_CONCURRENCY });
    logger.info({ jobId: job.id, ...r }, "freshness scan");
    await job
      .log(`freshness scan: queued ${r.enqueued} scheduled sync(s)${r.busy ? "; stopped early, the sync queue is full" : ""}`)
      .catch(() => 0);
    return r;
  },
  {
    connection: maintenanceConnection,
    prefix: env.BULLMQ_PREFIX,
    concurrency: 1,
    name: workerName(workerId, 1),
    metrics: { maxDataPoints: MetricsTime.ONE_HOUR * 24 },
  },
);
maintenance.on("error", (err) => logger.error({ err }, "maintenance worker error"));

// Liveness, readiness and metrics for process managers, Prometheus and tests: /api/health,
// /api/ready (Postgres and Redis, as the web answers them) and /metrics; /health also says
// whether the sync worker is running.
const readyRedis = createRedis("producer");
readyRedis.on("error", () => undefined); // reported by /api/ready
const probes = createProbeHandler({
  ready: { db, redis: readyRedis },
  metrics: async () => ({ contentType: metrics.registry.contentType, body: await metrics.registry.metrics() }),
  logger,
});
const health = createServer((req, res) => {
  if (probes(req, res)) return;
  const ok = worker.isRunning();
  res.writeHead(req.url === "/health" && ok ? 200 : req.url === "/health" ? 503 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok, concurrency: env.SYNC_CONCURRENCY, breaker: breaker.snapshot() }));
});
// Connect to Postgres now rather than on the first job: a bad DATABASE_URL shows at start-up,
// and the first sync does not pay for opening connections and loading the query engine.
try {
  await db.$queryRaw`SELECT 1`;
  await maintenanceQueue.upsertJobScheduler(
    FRESHNESS_SCHEDULER_ID,
    { every: FRESHNESS_SCAN_EVERY_MS },
    { name: "freshness-scan", data: {} },
  );
  await warmQueue.upsertJobScheduler(WARM_SCHEDULER_ID, { every: WARM_SCAN_EVERY_MS }, { name: "scan", data: {} });
} catch (err) {
  logger.fatal({ err }, "cannot start: Postgres (DATABASE_URL) or Redis (REDIS_URL) unreachable");
  process.exit(1);
}
void saveBreaker(breaker.snapshot());
health.listen(env.WORKER_PORT, "127.0.0.1", () => {
  logger.info({ queue: worker.name, concurrency: env.SYNC_CONCURRENCY, x: xConfig.apiUrl, port: env.WORKER_PORT }, "worker ready");
});

let shuttingDown = false;
async function shutdown(signal: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  logger.info({ signal }, "worker stopping");
  // Running syncs finish the page in hand, checkpoint and go back to the queue for the next worker.
  stopping.abort();
  const force = setTimeout(() => {
    logger.error("jobs did not stop within 10 s; exiting anyway (BullMQ hands them on as stalled)");
    process.exit(1);
  }, 10_000);
  force.unref();
  // Media downloads are not waited for (a large video can take longer than the 10 s budget): each
  // is idempotent (content-addressed) and BullMQ hands a job left active on to the next worker.
  await Promise.allSettled([
    worker.close(),
    importWorker.close(),
    xWriteWorker.close(),
    xDrainWorker.close(),
    maintenance.close(),
    mediaWorker.close(true),
    warmWorker.close(),
  ]);
  clearInterval(breakerHeartbeat);
  health.close();
  await client.del(redisKeys.breaker(env.BULLMQ_PREFIX, workerId)).catch(() => undefined);
  await Promise.allSettled([syncQueue.close(), maintenanceQueue.close(), mediaQueue.close(), warmQueue.close(), xWriteQueue.close()]);
  readyRedis.disconnect();
  await Promise.allSettled([
    closeDb(db),
    connection.quit(),
    importConnection.quit(),
    xWriteConnection.quit(),
    xDrainConnection.quit(),
    maintenanceConnection.quit(),
    mediaConnection.quit(),
    warmConnection.quit(),
    client.quit(),
  ]);
  logger.info("worker stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
