import { createServer } from "node:http";
import { env } from "~/env";
import { closeDb, db } from "~/server/db";
import { createLogger } from "~/server/logger";
import { createRedis } from "~/server/redis";
import { ProgressPublisher } from "~/server/sync/progress";
import { xConfig } from "~/server/x/config";
import { tokenKeyFromEnv } from "~/server/x/tokens";
import { createSyncWorker } from "./sync-worker";

/** The standalone worker process: runs sync jobs from BullMQ and reports progress via Redis. */
const logger = createLogger("worker");
const connection = createRedis("worker");
const publisher = createRedis("client");

const worker = createSyncWorker({
  connection,
  prefix: env.BULLMQ_PREFIX,
  concurrency: env.SYNC_CONCURRENCY,
  logger,
  services: {
    db,
    tokens: { db, redis: publisher, key: tokenKeyFromEnv(), x: xConfig },
    x: xConfig,
    progress: new ProgressPublisher(publisher),
  },
});

// Liveness for process managers and tests.
const health = createServer((req, res) => {
  const ok = worker.isRunning();
  res.writeHead(req.url === "/health" && ok ? 200 : req.url === "/health" ? 503 : 404, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok, concurrency: env.SYNC_CONCURRENCY }));
});
// Connect to Postgres now rather than on the first job: a bad DATABASE_URL shows at start-up,
// and the first sync does not pay for opening connections and loading the query engine.
try {
  await db.$queryRaw`SELECT 1`;
} catch (err) {
  logger.fatal({ err }, "cannot reach Postgres (DATABASE_URL)");
  process.exit(1);
}
health.listen(env.WORKER_PORT, "127.0.0.1", () => {
  logger.info({ queue: worker.name, concurrency: env.SYNC_CONCURRENCY, x: xConfig.apiUrl, port: env.WORKER_PORT }, "worker ready");
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "worker stopping");
  // Active jobs finish their page in hand; BullMQ hands unfinished ones to the next worker.
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await worker.close().catch(() => undefined);
  health.close();
  await Promise.allSettled([closeDb(db), connection.quit(), publisher.quit()]);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
