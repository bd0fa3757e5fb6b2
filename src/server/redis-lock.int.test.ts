import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { withRedisLock } from "./redis-lock";
import { refreshLockTiming } from "./x/tokens";

const redis = new Redis(env.REDIS_URL);
afterAll(() => redis.disconnect());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("withRedisLock (real Redis)", () => {
  it("holds the lock for as long as the work runs, far past its ttl; then frees it", async () => {
    const key = `test:lock:${randomUUID()}`;
    const holder = withRedisLock(redis, key, { ttlMs: 200, waitMs: 0 }, () => sleep(1_000).then(() => "done"));
    await sleep(700);
    // 3.5 ttls later the lock is still the holder's: another process cannot take it.
    await expect(withRedisLock(redis, key, { ttlMs: 200, waitMs: 100 }, async () => "stolen")).rejects.toThrow(
      /timed out waiting for lock/,
    );
    expect(await holder).toBe("done");
    expect(await redis.exists(key)).toBe(0);
    expect(await withRedisLock(redis, key, { ttlMs: 200, waitMs: 0 }, async () => "next")).toBe("next");
  });

  it("a crashed holder's lock (not renewed) expires after its ttl", async () => {
    const key = `test:lock:${randomUUID()}`;
    await redis.set(key, "someone-who-crashed", "PX", 300);
    const started = Date.now();
    expect(await withRedisLock(redis, key, { ttlMs: 300, waitMs: 2_000 }, async () => "mine")).toBe("mine");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe("the token-refresh lock", () => {
  it("outlives the X request timeout even unrenewed, and its waiters outwait it", () => {
    for (const timeout of [1, 5_000, 15_000, 120_000]) {
      const { ttlMs, waitMs } = refreshLockTiming(timeout);
      expect(ttlMs).toBeGreaterThan(timeout + 5_000);
      expect(waitMs).toBeGreaterThan(ttlMs);
    }
  });
});
