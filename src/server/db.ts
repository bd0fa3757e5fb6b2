import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "~/env";
import { PrismaClient } from "~/generated/prisma/client";

export type Db = PrismaClient;

// On globalThis: Next's bundled route handlers load their own copy of this module but share the
// process's client (below), so a module-level map would not know the client's pool.
const poolsHolder = globalThis as unknown as { xbPools?: WeakMap<Db, pg.Pool> };
const pools = (poolsHolder.xbPools ??= new WeakMap<Db, pg.Pool>());

/** A Prisma client over a pg pool; the same pool serves the few hot paths written in plain SQL. */
export function createPrisma(url: string = env.DATABASE_URL): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const client = new PrismaClient({ adapter: new PrismaPg(pool) });
  pools.set(client, pool);
  return client;
}

/**
 * The pg pool under a client, for bulk statements where Prisma's per-query overhead dominates
 * (the sync's page upserts: ~2.5x faster through pg directly, measured in bench/sync.ts).
 */
export function poolOf(db: Db): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error("this Prisma client was not made by createPrisma()");
  return pool;
}

// One client per process; survive Next's dev reloads.
const globalForDb = globalThis as unknown as { db?: Db };
export const db: Db = globalForDb.db ?? createPrisma();
if (env.NODE_ENV !== "production") globalForDb.db = db;

/** Disconnects Prisma and ends the pool under it. */
export async function closeDb(client: Db): Promise<void> {
  await client.$disconnect();
  const pool = pools.get(client);
  if (pool && !pool.ended) await pool.end();
}
