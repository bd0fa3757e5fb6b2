import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

// Compare-and-delete, so a holder whose lock expired never frees someone else's.
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
// Compare-and-extend: the holder keeps its own lock alive, never anyone else's.
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * Runs `fn` while holding a short Redis lock (SET NX PX), waiting up to `waitMs` for it. The lock
 * is extended every third of `ttlMs` while `fn` runs, so slow work (an X request up to its
 * timeout) never outlives it; `ttlMs` only bounds how long a crashed holder blocks others.
 * Written here rather than taken from a library: one key, one holder, no multi-node quorum, and
 * the maintained Redlock packages are built for the multi-node case this app does not have.
 */
export async function withRedisLock<T>(
  redis: Redis,
  key: string,
  opts: { ttlMs: number; waitMs: number },
  fn: () => Promise<T>,
): Promise<T> {
  const token = randomUUID();
  const deadline = Date.now() + opts.waitMs;
  for (let delay = 25; ; delay = Math.min(delay * 2, 250)) {
    if ((await redis.set(key, token, "PX", opts.ttlMs, "NX")) === "OK") break;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for lock ${key}`);
    await new Promise((r) => setTimeout(r, delay));
  }
  const renew = setInterval(
    () => void redis.eval(EXTEND, 1, key, token, String(opts.ttlMs)).catch(() => undefined),
    Math.max(10, Math.floor(opts.ttlMs / 3)),
  );
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    await redis.eval(RELEASE, 1, key, token).catch(() => undefined);
  }
}
