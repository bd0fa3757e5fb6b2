import type { Redis } from "ioredis";
import type { RateLimit } from "~/server/x/errors";
import { redisKeys } from "./events";

/** How long a user's rate-limit state outlives X's window (it is stale after the reset anyway). */
const MARGIN_MS = 60_000;

/** One user's X rate-limit state, as X reported it in its last answer to the worker. */
export interface UserRateLimit {
  userId: string;
  /** The X endpoint that answered, with ids replaced (e.g. /2/users/:id/bookmarks). */
  endpoint: string;
  limit: number;
  remaining: number;
  resetAt: Date;
  /** When X answered. */
  at: Date;
}

/** `/2/users/123/bookmarks` → `/2/users/:id/bookmarks`: the endpoint, without whose it was. */
export function endpointOf(path: string): string {
  return path.replace(/\/users\/(?!me(?:\/|$))[^/]+/, "/users/:id");
}

/** Written by the worker after every X answer carrying `x-rate-limit-*` headers. */
export async function saveUserRateLimit(redis: Redis, prefix: string, userId: string, path: string, rl: RateLimit): Promise<void> {
  const expireAt = rl.resetAt.getTime() + MARGIN_MS;
  if (expireAt <= Date.now()) return;
  const key = redisKeys.xRateLimit(prefix, userId);
  await redis
    .multi()
    .hset(key, {
      endpoint: endpointOf(path),
      limit: String(rl.limit),
      remaining: String(rl.remaining),
      resetAt: rl.resetAt.toISOString(),
      at: new Date().toISOString(),
    })
    .pexpireat(key, expireAt)
    .exec();
}

/** Every user's current rate-limit state (SCAN, never KEYS: Redis keeps serving meanwhile). */
export async function readUserRateLimits(redis: Redis, prefix: string): Promise<UserRateLimit[]> {
  const keys = await scanKeys(redis, redisKeys.xRateLimitPattern(prefix));
  if (keys.length === 0) return [];
  const pipeline = redis.pipeline();
  for (const key of keys) pipeline.hgetall(key);
  const answers = (await pipeline.exec()) ?? [];
  const keyPrefix = redisKeys.xRateLimit(prefix, "");
  const out: UserRateLimit[] = [];
  answers.forEach(([err, value], i) => {
    const h = value as Record<string, string> | null;
    if (err || !h?.resetAt) return; // expired between SCAN and HGETALL
    out.push({
      userId: keys[i]!.slice(keyPrefix.length),
      endpoint: h.endpoint ?? "",
      limit: Number(h.limit ?? 0),
      remaining: Number(h.remaining ?? 0),
      resetAt: new Date(h.resetAt),
      at: new Date(h.at ?? h.resetAt),
    });
  });
  return out.sort((a, b) => a.remaining - b.remaining || a.resetAt.getTime() - b.resetAt.getTime());
}

/** All keys matching `pattern`, by SCAN (bounded work per call, no blocking of Redis). */
export async function scanKeys(redis: Redis, pattern: string, max = 10_000): Promise<string[]> {
  const keys = new Set<string>();
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
    cursor = next;
    for (const k of batch) keys.add(k);
  } while (cursor !== "0" && keys.size < max);
  return [...keys];
}
