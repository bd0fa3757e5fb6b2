/**
 * /api/health and /api/ready (src/server/health.ts), served by a plain Node server the way
 * main.ts and the worker serve them: ready with the real Postgres and Redis, 503 naming the one
 * that is unreachable (a client pointed at a closed port), never with a password in the reason.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { closeDb, createPrisma, type Db } from "./db";
import { checkPostgres, checkRedis, createProbeHandler, listenProbes, readiness, type ReadinessDeps } from "./health";
import { createRedis } from "./redis";

// Port 1 (tcpmux) is closed on any test machine: connecting is refused at once.
const DEAD_REDIS = "redis://:hunter2-redis@127.0.0.1:1/0";
const DEAD_PG = "postgresql://postgres:hunter2-pg@127.0.0.1:1/xb";

let db: Db;
let deadDb: Db;
let redis: Redis;
const toClose: Redis[] = [];
const servers: Server[] = [];

function deadRedis(role: "producer" | "client" = "producer"): Redis {
  const r = createRedis(role, DEAD_REDIS);
  r.on("error", () => undefined);
  toClose.push(r);
  return r;
}

/** Serves the probes for `deps` on a free port; returns a GET helper. */
async function serve(deps: ReadinessDeps) {
  const probes = createProbeHandler({ ready: deps, metrics: async () => ({ contentType: "text/plain", body: "m 1\n" }) });
  const server = createServer((req, res) => {
    if (!probes(req, res)) res.writeHead(404).end("not a probe");
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return async (path: string, init?: RequestInit) => {
    const res = await fetch(`${base}${path}`, init);
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
  };
}

beforeAll(async () => {
  db = createPrisma(env.DATABASE_URL);
  deadDb = createPrisma(DEAD_PG);
  redis = createRedis("producer", env.REDIS_URL);
  toClose.push(redis);
  await redis.ping().catch(async () => {
    // enableOfflineQueue is off: wait for the connection before the first command.
    await new Promise((r) => redis.once("ready", r));
  });
});
afterAll(async () => {
  for (const s of servers) s.close();
  for (const r of toClose) r.disconnect();
  await closeDb(db);
  await closeDb(deadDb);
});

describe("GET /api/health", () => {
  it("answers 200 with the process's uptime, checking nothing else", async () => {
    // Both dependencies dead: liveness does not care.
    const get = await serve({ db: deadDb, redis: deadRedis() });
    const res = await get("/api/health");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(res.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
    expect((await get("/api/health", { method: "HEAD" })).status).toBe(200);
    expect((await get("/api/health", { method: "POST" })).status).toBe(404);
    expect((await get("/elsewhere")).status).toBe(404);
    expect((await get("/metrics")).text).toBe("m 1\n");
  });
});

describe("GET /api/ready", () => {
  it("is 200 when Postgres and Redis both answer", async () => {
    const get = await serve({ db, redis });
    const res = await get("/api/ready");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("is 503 naming redis when Redis is unreachable, without its password", async () => {
    const get = await serve({ db, redis: deadRedis() });
    const t0 = Date.now();
    const res = await get("/api/ready");
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(res.status).toBe(503);
    const body = res.json() as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("not_ready");
    expect(body.checks.postgres).toBe("ok");
    expect(body.checks.redis).toMatch(/^unreachable: .*ECONNREFUSED/);
    expect(res.text).not.toContain("hunter2");
  });

  it("is 503 naming redis also with a client that queues commands while offline (within ~1 s)", async () => {
    const r = deadRedis("client");
    const t0 = Date.now();
    const result = await checkRedis(r, 1_000);
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(result).toMatch(/^(unreachable|timeout): /);
    expect(result).not.toContain("hunter2");
  });

  it("is 503 naming postgres when Postgres is unreachable, without its password", async () => {
    const get = await serve({ db: deadDb, redis });
    const res = await get("/api/ready");
    expect(res.status).toBe(503);
    const body = res.json() as { status: string; checks: Record<string, string> };
    expect(body.status).toBe("not_ready");
    expect(body.checks.redis).toBe("ok");
    expect(body.checks.postgres).toMatch(/^unreachable: /);
    expect(body.checks.postgres!.length).toBeLessThan(200);
    expect(res.text).not.toContain("hunter2");
  });

  it("names both when both are down", async () => {
    const report = await readiness({ db: deadDb, redis: deadRedis() });
    expect(report.status).toBe("not_ready");
    expect(report.checks.postgres).toMatch(/^unreachable: /);
    expect(report.checks.redis).toMatch(/^unreachable: /);
  });

  it("gives up on a check that does not answer within the timeout", async () => {
    const hanging = { $queryRaw: () => new Promise<never>(() => undefined) };
    const t0 = Date.now();
    expect(await checkPostgres(hanging, 300)).toBe("timeout: no answer within 300 ms");
    expect(Date.now() - t0).toBeLessThan(2_000);
  });
});

describe("METRICS_PORT: /metrics and /api/ready on an internal port only", () => {
  it("the public port answers 404 for them (health stays); the internal port answers them and nothing else", async () => {
    const deps = { db, redis };
    const metrics = async () => ({ contentType: "text/plain", body: "m 1\n" });
    // main.ts's two handlers: the public one hides the internal paths, the internal one serves them.
    const publicProbes = createProbeHandler({ ready: deps, metrics, servedInternally: true });
    const pub = createServer((req, res) => {
      if (!publicProbes(req, res)) res.writeHead(200).end("a page");
    });
    servers.push(pub);
    await new Promise<void>((resolve) => pub.listen(0, "127.0.0.1", resolve));
    const publicBase = `http://127.0.0.1:${(pub.address() as AddressInfo).port}`;
    const internal = await listenProbes(createProbeHandler({ ready: deps, metrics }), 0, "127.0.0.1");
    servers.push(internal);
    const internalBase = `http://127.0.0.1:${(internal.address() as AddressInfo).port}`;

    for (const path of ["/metrics", "/api/ready", "/api/ready?x=1"]) {
      expect((await fetch(`${publicBase}${path}`)).status, path).toBe(404);
      expect((await fetch(`${publicBase}${path}`, { method: "HEAD" })).status, path).toBe(404);
    }
    expect((await fetch(`${publicBase}/api/health`)).status).toBe(200);
    expect(await (await fetch(`${publicBase}/`)).text()).toBe("a page");

    expect(await (await fetch(`${internalBase}/metrics`)).text()).toBe("m 1\n");
    expect((await fetch(`${internalBase}/api/ready`)).status).toBe(200);
    expect((await fetch(`${internalBase}/`)).status).toBe(404);
    expect((await fetch(`${internalBase}/api/trpc/bookmarks.list`)).status).toBe(404);
  });
});
