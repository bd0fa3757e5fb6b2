import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "~/env";
import { PrismaClient } from "~/generated/prisma/client";

export type Db = PrismaClient;

// On globalThis: Next's bundled route handlers load their own copy of this module but share the
// process's client (below), so a module-level map would not know the client's pool.
const poolsHolder = globalThis as unknown as { xbPools?: WeakMap<Db, pg.Pool> };
const pools = (poolsHolder.xbPools ??= new WeakMap<Db, pg.Pool>());

export interface PoolTimeouts {
  /** Postgres cancels a statement running longer (statement_timeout). */
  statementTimeoutMs?: number;
  /** Postgres ends a session left idle inside a transaction this long (idle_in_transaction_session_timeout). */
  idleInTransactionTimeoutMs?: number;
}

/**
 * The web's bounds: no request may hold a connection for long, whatever it searches for
 * (a cancelled statement is answered as a clear TIMEOUT, see api/trpc.ts). The worker passes none:
 * its statements are its own bounded page writes, not shaped by a person's input, and cancelling
 * one half-way through a sync page would only make the job retry the same work.
 */
export function webPoolTimeouts(): PoolTimeouts {
  return { statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS, idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS };
}

/** A Prisma client over a pg pool; the same pool serves the few hot paths written in plain SQL. */
export function createPrisma(url: string = env.DATABASE_URL, timeouts: PoolTimeouts = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    statement_timeout: timeouts.statementTimeoutMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionTimeoutMs,
  });
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

/** True for Postgres cancelling a statement over its statement_timeout (SQLSTATE 57014), however wrapped. */
export function isStatementTimeout(e: unknown): boolean {
  for (let c: unknown = e, depth = 0; c && typeof c === "object" && depth < 6; c = (c as { cause?: unknown }).cause, depth++) {
    const { code, originalCode, message } = c as { code?: unknown; originalCode?: unknown; message?: unknown };
    if (code === "57014" || originalCode === "57014") return true;
    if (typeof message === "string" && message.includes("canceling statement due to statement timeout")) return true;
  }
  return false;
}

// The web's client (the worker makes its own, without the web's timeouts: worker/main.ts).
// One per process; survive Next's dev reloads.
const globalForDb = globalThis as unknown as { db?: Db };
export const db: Db = globalForDb.db ?? createPrisma(env.DATABASE_URL, webPoolTimeouts());
if (env.NODE_ENV !== "production") globalForDb.db = db;

/** Disconnects Prisma and ends the pool under it. */
export async function closeDb(client: Db): Promise<void> {
  await client.$disconnect();
  const pool = pools.get(client);
  if (pool && !pool.ended) await pool.end();
}
