/**
 * Integration-test harness: real Postgres, Redis and BullMQ, a real X sandbox over HTTP, and a
 * worker running in-process. Each harness has its own BullMQ prefix and sandbox, so test files
 * can run in parallel; users are created fresh per test, so nothing needs truncating.
 */
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { ImportServices } from "@worker/import-job";
import { createImportWorker } from "@worker/import-worker";
import { createMediaWorker } from "@worker/media-worker";
import type { SyncServices } from "@worker/sync-job";
import { createSyncWorker } from "@worker/sync-worker";
import { createWarmWorker } from "@worker/warm-worker";
import { XBreaker, type BreakerOptions } from "@worker/x-breaker";
import { createXDrainWorker } from "@worker/x-drain-worker";
import { createXWriteWorker } from "@worker/x-write-worker";
import { env } from "~/env";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { closeDb, createPrisma, type Db } from "~/server/db";
import { LibraryCache } from "~/server/library/cache";
import { publishLibraryChange } from "~/server/library/changes";
import type { WarmSettings } from "~/server/library/warm";
import { archiveStatus, type ArchiveDeps } from "~/server/media/archive";
import { enqueueMediaArchive } from "~/server/media/enqueue";
import type { MediaStore } from "~/server/media/store";
import { createWebServices, type WebServices } from "~/server/services";
import { toAppSession } from "~/server/session";
import { ProgressPublisher } from "~/server/sync/progress";
import { enqueueLibraryWarm } from "~/server/sync/queue";
import { saveUserRateLimit } from "~/server/sync/rate-limit-state";
import { xConfigFrom, type XConfig } from "~/server/x/config";
import { tokenKeyFromEnv, type TokenDeps } from "~/server/x/tokens";
import { linkSandboxAccount, type TestUser } from "./link-account";
import { sandboxControl } from "./sandbox-control";
import { createSandbox, type RunningSandbox, type SandboxOptions } from "../../sandbox/app";

export interface HarnessOptions {
  sandbox?: SandboxOptions;
  /** Start an in-process worker (default true). */
  worker?: boolean;
  concurrency?: number;
  pageSize?: number;
  /** The worker's X circuit breaker (defaults: 5 failures, 60 s, 3 successes). */
  breaker?: BreakerOptions;
  /** Waiting jobs at which sync.start answers "busy" (default: the env's SYNC_QUEUE_CAP). */
  queueCap?: number;
  /** Retry delay base for failed X requests, ms (default 50: tests do not wait seconds). */
  retryBaseMs?: number;
  /** Per-request timeout towards X, ms (default 5000). */
  timeoutMs?: number;
  /** Run the media archive (a media worker on this store; syncs queue their posts' media). */
  media?: { store: MediaStore } & Partial<Pick<ArchiveDeps, "maxFileBytes" | "maxUserBytes">>;
  /** Run cache warming as the worker does: a warm worker, and a warm queued after each finished sync or import. */
  warm?: Partial<WarmSettings>;
}

export async function startHarness(opts: HarnessOptions = {}) {
  const fake = createSandbox(opts.sandbox);
  const sandbox: RunningSandbox = await fake.listen(0);
  const db: Db = createPrisma(env.DATABASE_URL);
  const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `t-${randomUUID().slice(0, 8)}`;
  const base = xConfigFrom(env);
  const x: XConfig = {
    ...base,
    sandbox: true,
    apiUrl: sandbox.url,
    authorizeUrl: `${sandbox.url}/i/oauth2/authorize`,
    tokenUrl: `${sandbox.url}/2/oauth2/token`,
    revokeUrl: `${sandbox.url}/2/oauth2/revoke`,
    pageSize: opts.pageSize ?? base.pageSize,
    timeoutMs: opts.timeoutMs ?? 5_000,
  };
  const key = tokenKeyFromEnv();
  const tokens: TokenDeps = { db, redis, key, x };
  const concurrency = opts.concurrency ?? 3;
  const services: WebServices = createWebServices({ db, redisUrl: env.REDIS_URL, prefix, queueCap: opts.queueCap, concurrency });
  const breaker = new XBreaker(opts.breaker);
  const syncServices: SyncServices = {
    db,
    tokens,
    x,
    progress: new ProgressPublisher(redis),
    breaker,
    readPriceUsd: 0.005,
    libraryChanged: async (userId, counts) => {
      await publishLibraryChange(redis, userId, { kind: "sync", action: "page", counts });
    },
    // As in worker/main.ts: each user's X rate-limit state, for the admin page.
    onXCall: (userId, call) => {
      if (call.rateLimit) void saveUserRateLimit(redis, prefix, userId, call.path, call.rateLimit).catch(() => undefined);
    },
    retryBaseMs: opts.retryBaseMs ?? 50,
    dbRetryBaseMs: 20,
  };
  const warmSettings: WarmSettings = { ttlSeconds: 600, batchSize: 20, batchDelayMs: 10, lookaheadMs: 30 * 60_000, ...opts.warm };
  const warmDeps = { db, redis, cache: new LibraryCache({ redis }) };
  const warmWorker =
    opts.warm && opts.worker !== false
      ? createWarmWorker({ connection: redis, prefix, workerId: "test", deps: warmDeps, settings: warmSettings })
      : null;
  // As in worker/main.ts: a finished sync or import queues a warm of the user's default view.
  const onJobEnd = opts.warm
    ? (outcome: string, job: { data: { userId: string } }) => {
        if (outcome === "succeeded") void enqueueLibraryWarm(services.warmQueue, job.data.userId, "sync");
      }
    : undefined;
  const worker =
    opts.worker === false
      ? null
      : createSyncWorker({ connection: redis, prefix, concurrency, services: syncServices, lockMs: 5_000, onJobEnd });
  const mediaDeps: ArchiveDeps | null = opts.media
    ? {
        db,
        store: opts.media.store,
        maxFileBytes: opts.media.maxFileBytes ?? 50 * 1024 * 1024,
        maxUserBytes: opts.media.maxUserBytes ?? 1024 ** 3,
        timeoutMs: 10_000,
      }
    : null;
  if (mediaDeps) syncServices.archiveMedia = (userId, postIds) => enqueueMediaArchive({ queue: services.mediaQueue, db }, userId, postIds);
  const mediaWorker =
    mediaDeps && opts.worker !== false ? createMediaWorker({ connection: redis, prefix, concurrency: 4, deps: mediaDeps }) : null;

  const importServices: ImportServices = { ...syncServices, redis };
  const importWorker =
    opts.worker === false
      ? null
      : createImportWorker({ connection: redis, prefix, concurrency: 1, services: importServices, lockMs: 5_000, onJobEnd });

  const xWriteWorker =
    opts.worker === false ? null : createXWriteWorker({ connection: redis, prefix, services: syncServices, lockMs: 5_000 });

  const xDrainWorker =
    opts.worker === false
      ? null
      : createXDrainWorker({
          connection: redis,
          prefix,
          services: { ...syncServices, xWriteQueue: services.xWriteQueue, drainPollMs: 200 },
          lockMs: 5_000,
        });

  const control = sandboxControl(sandbox.url);

  /** A sandbox X account with `bookmarks` bookmarks, and an app user logged in with it. */
  async function createUser(bookmarks: number, opts: { scopes?: string[]; expiresIn?: number } = {}): Promise<TestUser> {
    const username = `u${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const xUser = await control<{ id: string; username: string }>("POST", "/users", { username, bookmarks });
    return linkXAccount(xUser, opts);
  }

  /** An app user logged in with an existing sandbox X account (e.g. a seeded one). */
  const linkXAccount = (xUser: { id: string; username: string }, opts: { scopes?: string[]; expiresIn?: number } = {}) =>
    linkSandboxAccount({ db, key, control }, xUser, opts);

  /** A tRPC caller acting as `userId` (from the tab `clientId`), with the same services the web uses. */
  function caller(userId: string, clientId?: string) {
    const session = toAppSession({ id: userId }, new Date(Date.now() + 3600_000));
    return createCaller(createTRPCContext({ session, services, clientId }));
  }

  /** Resolves when the run reaches a final status. */
  async function waitForRun(runId: string, timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const run = await db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (run.status === "SUCCEEDED" || run.status === "FAILED") return run;
      if (Date.now() > end) throw new Error(`run ${runId} still ${run.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function sandboxIds(xUserId: string): Promise<string[]> {
    return (await control<{ ids: string[] }>("GET", `/users/${xUserId}/bookmarks`)).ids;
  }

  async function libraryIds(userId: string): Promise<string[]> {
    const rows = await db.bookmark.findMany({
      where: { userId },
      orderBy: [{ sortKey: "desc" }, { id: "desc" }],
      select: { postId: true },
    });
    return rows.map((r) => r.postId);
  }

  /** Resolves when the media queue is idle and nothing of the user's archive is pending. */
  async function waitForArchive(userId: string, timeoutMs = 60_000) {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const c = await services.mediaQueue.getJobCounts("waiting", "prioritized", "active", "delayed");
      const busy = Object.values(c).reduce((a, b) => a + b, 0);
      const status = await archiveStatus(db, userId);
      if (busy === 0 && status.pending === 0) return status;
      if (Date.now() > end) throw new Error(`media archive still busy after ${timeoutMs} ms: ${JSON.stringify({ ...c, ...status })}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function close() {
    await worker?.close();
    await mediaWorker?.close();
    await importWorker?.close();
    await warmWorker?.close();
    await services.warmQueue.obliterate({ force: true }).catch(() => undefined);
    await xWriteWorker?.close();
    await xDrainWorker?.close();
    await services.xDrainQueue.obliterate({ force: true }).catch(() => undefined);
    await services.xWriteQueue.obliterate({ force: true }).catch(() => undefined);
    await services.mediaQueue.obliterate({ force: true }).catch(() => undefined);
    await services.syncQueue.obliterate({ force: true }).catch(() => undefined);
    await services.importQueue.obliterate({ force: true }).catch(() => undefined);
    await services.close();
    await sandbox.close();
    redis.disconnect();
    await closeDb(db);
  }

  return {
    sandbox,
    sandboxStore: fake.store,
    mediaDeps,
    waitForArchive,
    db,
    redis,
    prefix,
    x,
    tokens,
    services,
    syncServices,
    importServices,
    breaker,
    worker,
    importWorker,
    xWriteWorker,
    warmWorker,
    warmDeps,
    warmSettings,
    control,
    createUser,
    linkXAccount,
    caller,
    waitForRun,
    sandboxIds,
    libraryIds,
    close,
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
