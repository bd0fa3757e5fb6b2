import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { register } from "prom-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bumpLibraryVersion, inputHash, LibraryCache, libraryKeys, stableJson } from "./cache";

// This file's own Redis database (same server as REDIS_URL): it is emptied before the tests.
const TEST_DB = 5;
function testRedisUrl() {
  const url = new URL(process.env.REDIS_URL ?? `redis://127.0.0.1:6379/${TEST_DB}`);
  url.pathname = `/${TEST_DB}`;
  return url.toString();
}

const connections: Redis[] = [];
function connect(): Redis {
  const r = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  connections.push(r);
  return r;
}
/** A client for a Redis that is not there: commands fail at once instead of queueing. */
function deadRedis(): Redis {
  const r = new Redis({ host: "127.0.0.1", port: 1, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  r.on("error", () => undefined);
  connections.push(r);
  return r;
}

let redis: Redis;
beforeAll(async () => {
  redis = connect();
  expect(redis.options.db).toBe(TEST_DB); // never flush anyone else's database
  await redis.flushdb();
});
afterAll(() => {
  for (const r of connections) r.disconnect();
});

const user = () => `u-${randomUUID()}`;
/** A load() that counts its calls and returns `value`. */
function loader<T>(value: T) {
  return vi.fn(async () => value);
}

async function counter(layer: string, result: string): Promise<number> {
  const metric = register.getSingleMetric("xb_library_cache_requests_total");
  const values = (await metric?.get())?.values ?? [];
  return values.find((v) => v.labels.layer === layer && v.labels.result === result)?.value ?? 0;
}
async function hitRatio(): Promise<number> {
  return (await register.getSingleMetric("xb_library_cache_hit_ratio")?.get())?.values[0]?.value ?? Number.NaN;
}

describe("LibraryCache", () => {
  it("loads on a miss, then answers from memory without loading", async () => {
    const cache = new LibraryCache({ redis: connect() });
    const u = user();
    const load = loader({ items: [1, 2, 3] });
    expect(await cache.read(u, "bookmarks.list", { limit: 20 }, load)).toEqual({ items: [1, 2, 3] });
    expect(load).toHaveBeenCalledTimes(1);
    expect(await cache.read(u, "bookmarks.list", { limit: 20 }, load)).toEqual({ items: [1, 2, 3] });
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("stores a loaded value in Redis with the TTL, for other processes", async () => {
    const a = new LibraryCache({ redis: connect(), ttlSeconds: 120 });
    const b = new LibraryCache({ redis: connect(), ttlSeconds: 120 });
    const u = user();
    await a.read(u, "bookmarks.count", undefined, loader(42));
    const key = libraryKeys.entry(u, "0", "bookmarks.count", inputHash(undefined));
    await vi.waitFor(async () => expect(await redis.exists(key)).toBe(1)); // the write-back is not awaited
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(100);
    expect(ttl).toBeLessThanOrEqual(120);

    const load = loader(-1);
    expect(await b.read(u, "bookmarks.count", undefined, load)).toBe(42);
    expect(load).not.toHaveBeenCalled();
  });

  it("keeps Dates, bigints and nulls through Redis", async () => {
    const a = new LibraryCache({ redis: connect() });
    const b = new LibraryCache({ redis: connect() });
    const u = user();
    const value = { savedAt: new Date("2024-05-06T07:08:09.010Z"), postId: 1234567890123456789n, note: null };
    await a.read(u, "page", {}, loader(value));
    await vi.waitFor(async () => expect(await redis.exists(libraryKeys.entry(u, "0", "page", inputHash({})))).toBe(1));
    const got = await b.read<typeof value>(u, "page", {}, () => Promise.reject(new Error("should come from Redis")));
    expect(got.savedAt).toBeInstanceOf(Date);
    expect(got).toEqual(value);
    // A null answer is cached too (not mistaken for a miss).
    const nothing = loader(null);
    await a.read(u, "empty", {}, nothing);
    expect(await a.read(u, "empty", {}, nothing)).toBeNull();
    expect(nothing).toHaveBeenCalledTimes(1);
  });

  it("invalidate() makes every process load again and serve the new value", async () => {
    const a = new LibraryCache({ redis: connect() });
    const b = new LibraryCache({ redis: connect() });
    const u = user();
    await a.read(u, "list", { page: 1 }, loader("old"));
    await vi.waitFor(async () => expect(await b.read(u, "list", { page: 1 }, loader("unexpected"))).toBe("old"));

    await a.invalidate(u);
    expect(await redis.get(libraryKeys.version(u))).toBe("1");
    const loadA = loader("new");
    const loadB = loader("new");
    expect(await a.read(u, "list", { page: 1 }, loadA)).toBe("new");
    expect(await b.read(u, "list", { page: 1 }, loadB)).toBe("new");
    expect(loadA).toHaveBeenCalledTimes(1);
    // b may find a's write-back in Redis or load itself; it never serves "old" again.
    expect(await b.read(u, "list", { page: 1 }, loader("newer"))).toBe("new");
    expect(await a.read(u, "list", { page: 1 }, loader("newer"))).toBe("new");
  });

  it("bumpLibraryVersion (the worker's connection) invalidates a web process's memory too", async () => {
    const cache = new LibraryCache({ redis: connect() });
    const u = user();
    await cache.read(u, "list", {}, loader("before sync"));
    await bumpLibraryVersion(connect(), u);
    expect(await cache.read(u, "list", {}, loader("after sync"))).toBe("after sync");
  });

  it("leaves other users' entries alone", async () => {
    const cache = new LibraryCache({ redis: connect() });
    const [alice, bob] = [user(), user()];
    await cache.read(alice, "list", {}, loader("alice"));
    await cache.read(bob, "list", {}, loader("bob"));
    await cache.invalidate(alice);
    const bobLoad = loader("bob reloaded");
    expect(await cache.read(bob, "list", {}, bobLoad)).toBe("bob");
    expect(bobLoad).not.toHaveBeenCalled();
    expect(await cache.read(alice, "list", {}, loader("alice reloaded"))).toBe("alice reloaded");
  });

  it("keys on name and input: different inputs do not collide, key order and undefined do not matter", async () => {
    const cache = new LibraryCache({ redis: connect() });
    const u = user();
    expect(await cache.read(u, "list", { q: "a", limit: 10 }, loader("a10"))).toBe("a10");
    expect(await cache.read(u, "list", { q: "a", limit: 20 }, loader("a20"))).toBe("a20");
    expect(await cache.read(u, "count", { q: "a", limit: 10 }, loader("count"))).toBe("count");
    const load = loader("unexpected");
    expect(await cache.read(u, "list", { limit: 10, q: "a", cursor: undefined }, load)).toBe("a10");
    expect(load).not.toHaveBeenCalled();
  });

  it("a load that races an invalidation is never served afterwards", async () => {
    const cache = new LibraryCache({ redis: connect() });
    const u = user();
    let release!: () => void;
    const slow = cache.read(u, "list", {}, () => new Promise<string>((r) => (release = () => r("stale"))));
    await vi.waitFor(() => expect(release).toBeTypeOf("function")); // load() has started
    await cache.invalidate(u);
    release();
    expect(await slow).toBe("stale"); // that read began before the change: fine
    expect(await cache.read(u, "list", {}, loader("fresh"))).toBe("fresh");
  });

  it("answers from load() when Redis is down, and invalidate() rejects", async () => {
    const cache = new LibraryCache({ redis: deadRedis() });
    const u = user();
    const load = loader({ ok: true });
    expect(await cache.read(u, "list", {}, load)).toEqual({ ok: true });
    expect(await cache.read(u, "list", {}, load)).toEqual({ ok: true });
    expect(load).toHaveBeenCalledTimes(2); // no version, so not even the in-process copy is trusted
    await expect(cache.invalidate(u)).rejects.toThrow();
  });

  it("treats a Redis that does not answer as down", async () => {
    // Accepts connections and never replies.
    const sockets = new Set<Socket>();
    const server: Server = createServer((s) => sockets.add(s));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const hung = new Redis({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, maxRetriesPerRequest: 1 });
    hung.on("error", () => undefined);
    connections.push(hung);
    try {
      const cache = new LibraryCache({ redis: hung, timeoutMs: 100 });
      const started = Date.now();
      expect(await cache.read(user(), "list", {}, loader("from db"))).toBe("from db");
      expect(Date.now() - started).toBeLessThan(2_000);
      await expect(cache.invalidate(user())).rejects.toThrow(/did not answer/);
    } finally {
      hung.disconnect();
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    }
  });

  it("counts hits and misses per layer", async () => {
    const a = new LibraryCache({ redis: connect() });
    const b = new LibraryCache({ redis: connect() });
    const u = user();
    const before = {
      memHit: await counter("memory", "hit"),
      memMiss: await counter("memory", "miss"),
      redisHit: await counter("redis", "hit"),
      redisMiss: await counter("redis", "miss"),
    };
    await a.read(u, "list", {}, loader(1)); // memory miss, Redis miss
    await a.read(u, "list", {}, loader(1)); // memory hit
    await vi.waitFor(async () => expect(await redis.exists(libraryKeys.entry(u, "0", "list", inputHash({})))).toBe(1));
    await b.read(u, "list", {}, loader(1)); // memory miss, Redis hit
    expect(await counter("memory", "hit")).toBe(before.memHit + 1);
    expect(await counter("memory", "miss")).toBe(before.memMiss + 2);
    expect(await counter("redis", "hit")).toBe(before.redisHit + 1);
    expect(await counter("redis", "miss")).toBe(before.redisMiss + 1);
    const ratio = await hitRatio();
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThan(1);
  });
});

describe("stableJson / inputHash", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(stableJson({ b: 1, a: { d: [1, { z: 1, y: undefined, x: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":2,"z":1}]},"b":1}');
    expect(inputHash({ a: 1, b: 2 })).toBe(inputHash({ b: 2, a: 1 }));
    expect(inputHash({ a: 1 })).not.toBe(inputHash({ a: "1" }));
    expect(inputHash({ at: new Date(0) })).toBe(inputHash({ at: new Date(0) }));
    expect(inputHash(undefined)).toMatch(/^[\w-]{27}$/);
  });
});
