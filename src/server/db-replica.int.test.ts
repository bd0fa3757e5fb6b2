/**
 * Library reads from a streaming replica (DATABASE_REPLICA_URL, issue 15) on a real primary and
 * replica pair of its own: reads go to the replica, except right after the same user's write, while
 * the replica lags, or while it is down; a person never reads their library from before their change.
 */
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { countBookmarks } from "~/server/bookmarks/list";
import { closeDb, createPrisma, type Db } from "~/server/db";
import { ReadRouter } from "~/server/db-replica";
import { publishLibraryChange } from "~/server/library/changes";
import { libraryFilter } from "~/shared/filter";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { replicaPairUnavailable, startReplicaPair, type ReplicaPair } from "~/testing/pg-replica";
import { until } from "~/testing/until";
import { prisma } from "../../scripts/services";

const skipReason = replicaPairUnavailable();
if (skipReason) console.warn(`src/server/db-replica.int.test.ts skipped: ${skipReason}`);

const MAX_LAG_MS = 1_500;

describe.skipIf(skipReason !== null)("library reads from a read replica", () => {
  let pair: ReplicaPair;
  let primary: Db;
  let replica: Db;
  let redis: Redis;
  let router: ReadRouter;
  let alice: { id: string };
  let bob: { id: string };

  const onReplica = async (db: Db) => (await db.$queryRawUnsafe<{ r: boolean }[]>("SELECT pg_is_in_recovery() AS r"))[0]!.r;
  const count = (db: Db, userId: string) => countBookmarks(db, userId, libraryFilter.parse({}));

  beforeAll(async () => {
    pair = await startReplicaPair();
    const admin = new pg.Client({ connectionString: pair.primaryUrl("postgres") });
    await admin.connect();
    await admin.query("CREATE DATABASE xb");
    await admin.end();
    prisma(["migrate", "deploy"], { ...process.env, DATABASE_URL: pair.primaryUrl("xb") });
    primary = createPrisma(pair.primaryUrl("xb"));
    replica = createPrisma(pair.replicaUrl("xb"));
    redis = new Redis(env.REDIS_URL);
    router = new ReadRouter(primary, replica, redis, { maxLagMs: MAX_LAG_MS, lagCheckMs: 0 });
    alice = await createLibraryUser(primary);
    bob = await createLibraryUser(primary);
    await seedBookmarks(primary, alice.id, [{ text: "one" }, { text: "two" }, { text: "three" }]);
    await until("the replica to have the seed", async () => (await count(replica, alice.id)) === 3, 15_000);
  }, 120_000);

  afterAll(async () => {
    await Promise.allSettled([primary && closeDb(primary), replica && closeDb(replica)]);
    redis?.disconnect();
    pair?.stop();
  });

  it("a user who has not written lately reads from the replica", async () => {
    expect(await onReplica(await router.forUser(bob.id))).toBe(true);
    expect(await onReplica(await router.forUser(alice.id))).toBe(true);
  });

  it("right after their own write a user reads from the primary and sees it; a lagging replica is left alone", async () => {
    await replica.$executeRawUnsafe("SELECT pg_wal_replay_pause()");
    try {
      await seedBookmarks(primary, alice.id, [{ text: "four" }]);
      await publishLibraryChange(redis, alice.id, { kind: "bookmarks", action: "update" });
      const forAlice = await router.forUser(alice.id);
      expect(await onReplica(forAlice)).toBe(false);
      expect(await count(forAlice, alice.id)).toBe(4);
      expect(await count(replica, alice.id)).toBe(3); // the replica has not replayed it
      // Bob did not write, but the replica falls further behind than MAX_LAG_MS: the primary.
      await until("reads to leave the lagging replica", async () => !(await onReplica(await router.forUser(bob.id))), MAX_LAG_MS * 4);
    } finally {
      await replica.$executeRawUnsafe("SELECT pg_wal_replay_resume()");
    }
    // Caught up again: back to the replica, which now has the write too.
    await until("reads to return to the replica", async () => onReplica(await router.forUser(bob.id)), 15_000);
    expect(await count(replica, alice.id)).toBe(4);
  });

  it("with Redis away (we cannot know who wrote lately) reads go to the primary", async () => {
    const away = new Redis({ port: 1, lazyConnect: true, enableOfflineQueue: false, retryStrategy: () => null });
    const blind = new ReadRouter(primary, replica, away, { maxLagMs: MAX_LAG_MS, lagCheckMs: 0 });
    expect(await onReplica(await blind.forUser(bob.id))).toBe(false);
    away.disconnect();
  });

  it("a replica that is down costs nothing but load: reads go to the primary", async () => {
    pair.stopReplica();
    const started = Date.now();
    const db = await router.forUser(bob.id);
    expect(await onReplica(db)).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("without a replica every read goes to the primary", async () => {
    const single = new ReadRouter(primary, null, redis, { maxLagMs: MAX_LAG_MS });
    expect(await onReplica(await single.forUser(bob.id))).toBe(false);
  });
});
