import { env } from "~/env";
import { db, type Db } from "./db";
import { RedisFanout } from "./pubsub";
import { createRedis } from "./redis";
import { ProgressPublisher } from "./sync/progress";
import { createSyncQueue, type SyncQueue } from "./sync/queue";

/** What the web's request handlers use besides the database: the queue and Redis pub/sub. */
export interface WebServices {
  db: Db;
  syncQueue: SyncQueue;
  progress: ProgressPublisher;
  fanout: RedisFanout;
  close(): Promise<void>;
}

export function createWebServices(opts: { db: Db; redisUrl: string; prefix: string }): WebServices {
  const producer = createRedis("producer", opts.redisUrl);
  const client = createRedis("client", opts.redisUrl);
  const subscriber = createRedis("subscriber", opts.redisUrl);
  const syncQueue = createSyncQueue(producer, opts.prefix);
  return {
    db: opts.db,
    syncQueue,
    progress: new ProgressPublisher(client),
    fanout: new RedisFanout(subscriber),
    async close() {
      await syncQueue.close();
      for (const r of [producer, client, subscriber]) r.disconnect();
    },
  };
}

// One set per process: Next's bundled route handlers and the custom server's WebSocket handler
// load separate copies of this module, so the instance lives on globalThis.
const g = globalThis as unknown as { webServices?: WebServices };
export function webServices(): WebServices {
  g.webServices ??= createWebServices({ db, redisUrl: env.REDIS_URL, prefix: env.BULLMQ_PREFIX });
  return g.webServices;
}
