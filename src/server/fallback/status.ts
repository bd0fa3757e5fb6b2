import type { Redis } from "ioredis";
import { checkPostgres, checkRedis, type ReadyDb } from "~/server/health";
import { redisKeys } from "~/server/sync/events";

/**
 * The fallback chain as it stands now (README → "When a part fails"): which parts answer, and so
 * which fallbacks are in force. Read by GET /api/status (the person's degraded banner) and the
 * admin console's Health page. Every check is short and never throws: a part that does not
 * answer is reported down, and one that cannot be judged (the breaker, with Redis down) unknown.
 */

export type PartState = "ok" | "down";
/** X as the workers see it: their circuit breakers (open on any worker = syncs wait). */
export type XState = "ok" | "open" | "half_open" | "unknown";

export interface SystemStatus {
  at: string;
  postgres: PartState;
  redis: PartState;
  x: XState;
  /** When an open breaker tries X again (the earliest), if one is open. */
  xRetryAt: string | null;
  /** The fallbacks in force, in the order of the chain. */
  isolated: Isolation[];
}

/**
 * What a person and the admin are told. `maintenance`: Postgres is down, nothing can be read.
 * `no-live-updates`: Redis is down: reads come from Postgres, writes are saved, the page refetches
 * on a timer instead of live updates. `syncs-wait`: X is down or the breaker is open: the library
 * works from what is stored, syncs wait.
 */
export type Isolation = "maintenance" | "no-live-updates" | "syncs-wait";

export interface StatusDeps {
  db: ReadyDb;
  /** Best a connection with the offline queue off (fails at once while Redis is away). */
  redis: Redis;
  prefix: string;
  timeoutMs?: number;
}

export async function readSystemStatus(deps: StatusDeps): Promise<SystemStatus> {
  const timeoutMs = deps.timeoutMs ?? 700;
  const [pg, rd] = await Promise.all([checkPostgres(deps.db, timeoutMs), checkRedis(deps.redis, timeoutMs)]);
  const postgres: PartState = pg === "ok" ? "ok" : "down";
  const redis: PartState = rd === "ok" ? "ok" : "down";
  let x: XState = "unknown";
  let xRetryAt: string | null = null;
  if (redis === "ok") {
    try {
      ({ x, xRetryAt } = await breakerState(deps.redis, deps.prefix));
    } catch {
      x = "unknown";
    }
  }
  const isolated: Isolation[] = [];
  if (postgres === "down") isolated.push("maintenance");
  if (redis === "down") isolated.push("no-live-updates");
  if (x === "open" || x === "half_open") isolated.push("syncs-wait");
  return { at: new Date().toISOString(), postgres, redis, x, xRetryAt, isolated };
}

/** The workers' breakers (keys they keep fresh): the worst state, and the earliest retry. */
async function breakerState(redis: Redis, prefix: string): Promise<{ x: XState; xRetryAt: string | null }> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await redis.scan(cursor, "MATCH", redisKeys.breakerPattern(prefix), "COUNT", 200);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0" && keys.length < 1_000);
  if (keys.length === 0) return { x: "ok", xRetryAt: null };
  let x: XState = "ok";
  let retry: string | null = null;
  for (const v of await redis.mget(...keys)) {
    if (!v) continue;
    try {
      const s = JSON.parse(v) as { state?: string; retryAt?: string | null };
      if (s.state === "open") x = "open";
      else if (s.state === "half_open" && x !== "open") x = "half_open";
      if (s.state !== "closed" && s.retryAt && (!retry || s.retryAt < retry)) retry = s.retryAt;
    } catch {
      // not a breaker record
    }
  }
  return { x, xRetryAt: x === "ok" ? null : retry };
}
