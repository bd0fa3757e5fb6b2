/**
 * The web's /metrics exposes the named series, fed by the real pieces main.ts wires together:
 * HTTP requests through observeHttpRequest (latency by route class, x-request-id, one log line),
 * tRPC calls through the procedures' middleware (a caller, and a subscription over the real
 * WebSocket server), WebSocket connections, queue depth read from BullMQ at scrape time, and the
 * library cache's hit ratio. Next itself is not started (too slow for this): main.ts only routes
 * requests to these modules.
 */
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AppRouter } from "~/server/api/root";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { startHarness, type Harness } from "~/testing/harness";
import { promDeclares, promSample } from "~/testing/prom-text";
import { TEST_APP_ORIGIN, testSocketOptions } from "~/testing/ws-test-server";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { createProbeHandler } from "./health";
import { observeHttpRequest } from "./http-observe";
import { createLogger, withLogContext } from "./logger";
import { metricsText, webMetrics } from "./metrics";
import { attachTrpcWebSocket } from "./ws";

let h: Harness;
let server: Server;
let base: string;
let sockets: ReturnType<typeof attachTrpcWebSocket>;
const logLines: Record<string, unknown>[] = [];

const scrape = async () => (await metricsText()).body;

beforeAll(async () => {
  h = await startHarness({ worker: false });
  webMetrics().watchQueues(() => [h.services.syncQueue, h.services.maintenanceQueue]);
  const logger = createLogger(
    "web",
    "debug",
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    }),
  );
  const probes = createProbeHandler({ ready: { db: h.db, redis: h.redis }, metrics: metricsText });
  // main.ts's request handler, with a stand-in for Next behind it.
  server = createServer((req, res) => {
    const ctx = observeHttpRequest(req, res, logger);
    withLogContext(ctx, () => {
      if (probes(req, res)) return;
      if (req.url?.startsWith("/boom")) {
        res.writeHead(500).end();
        return;
      }
      if (req.url?.startsWith("/slow")) {
        setTimeout(() => {
          logger.info("inside the request");
          res.writeHead(200).end("slow");
        }, 30);
        return;
      }
      res.writeHead(404).end();
    });
  });
  sockets = attachTrpcWebSocket(server, () => h.services, testSocketOptions);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  sockets?.close();
  server?.close();
  await h?.close();
});

describe("web /metrics", () => {
  it("times HTTP requests by method, route class and status, never by raw URL", async () => {
    const before = await scrape();
    const count = (text: string, labels: Record<string, string>) => promSample(text, "xb_http_request_duration_seconds_count", labels) ?? 0;

    expect((await fetch(`http://${base}/api/health`)).status).toBe(200);
    expect((await fetch(`http://${base}/api/trpc/bookmarks.list?batch=1&input=%7B%7D`)).status).toBe(404);
    expect((await fetch(`http://${base}/api/trpc-ws-lookalike`)).status).toBe(404);
    expect((await fetch(`http://${base}/library?q=secret-search-words`)).status).toBe(404);
    expect((await fetch(`http://${base}/boom`, { method: "POST" })).status).toBe(500);
    await fetch(`http://${base}/_next/static/chunks/app.js`);

    const after = await scrape();
    expect(
      count(after, { method: "GET", route: "/api/health", status: "200" }) -
        count(before, { method: "GET", route: "/api/health", status: "200" }),
    ).toBe(1);
    expect(
      count(after, { method: "GET", route: "/api/trpc", status: "404" }) -
        count(before, { method: "GET", route: "/api/trpc", status: "404" }),
    ).toBe(1);
    expect(count(after, { route: "/api/other" }) - count(before, { route: "/api/other" })).toBe(1);
    expect(
      count(after, { method: "GET", route: "page", status: "404" }) - count(before, { method: "GET", route: "page", status: "404" }),
    ).toBe(1);
    expect(
      count(after, { method: "POST", route: "page", status: "500" }) - count(before, { method: "POST", route: "page", status: "500" }),
    ).toBe(1);
    expect(count(after, { route: "/_next" }) - count(before, { route: "/_next" })).toBe(1);
    expect(promSample(after, "xb_http_request_duration_seconds_bucket", { route: "/api/health", le: "+Inf" })).toBeGreaterThanOrEqual(1);
    // Bounded labels: no path, query or id ever becomes a label value.
    for (const line of after.split("\n").filter((l) => l.startsWith("xb_http_request_duration_seconds"))) {
      const route = /route="([^"]*)"/.exec(line)?.[1];
      expect(["/api/trpc", "/api/export", "/api/auth", "/api/health", "/api/ready", "/api/other", "/_next", "/metrics", "page"]).toContain(
        route,
      );
    }
    expect(after).not.toContain("secret-search-words");
    expect(after).not.toContain("bookmarks.list?");
  });

  it("answers with an x-request-id (the caller's if sane) and logs one line per request with it", async () => {
    const mine = await fetch(`http://${base}/slow?code=oauth-code-123`, { headers: { "x-request-id": "trace-abc-1" } });
    expect(mine.headers.get("x-request-id")).toBe("trace-abc-1");
    const made = await fetch(`http://${base}/slow`, { headers: { "x-request-id": "bad id with spaces" } });
    const madeId = made.headers.get("x-request-id");
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);

    await expect.poll(() => logLines.filter((l) => l.msg === "request" && l.path === "/slow").length).toBe(2);
    const line = logLines.find((l) => l.msg === "request" && l.reqId === "trace-abc-1")!;
    expect(line).toMatchObject({ level: 30, method: "GET", route: "page", path: "/slow", status: 200 });
    expect(line.durationMs).toBeGreaterThanOrEqual(25);
    // A line logged while serving the request carries its id.
    expect(logLines.find((l) => l.msg === "inside the request" && l.reqId === "trace-abc-1")).toBeDefined();
    expect(logLines.some((l) => l.reqId === madeId)).toBe(true);
    expect(JSON.stringify(logLines)).not.toContain("oauth-code-123");
    // Probe traffic goes to debug, server errors to error.
    expect(logLines.find((l) => l.msg === "request" && l.route === "/api/health")?.level).toBe(20);
    expect(logLines.find((l) => l.msg === "request" && l.status === 500)?.level).toBe(50);
  });

  it("times tRPC procedures by path, type and success; counts WebSocket connections; reads queue depth; reports the cache hit ratio", async () => {
    const user = await h.createUser(3);
    const before = await scrape();
    const trpcCount = (text: string, labels: Record<string, string>) =>
      promSample(text, "xb_trpc_procedure_duration_seconds_count", labels) ?? 0;

    // Through a caller: a query twice (the second from the cache), a refused call, a mutation.
    const caller = h.caller(user.id);
    await caller.bookmarks.list({});
    await caller.bookmarks.list({});
    const anonymous = createCaller(createTRPCContext({ session: null, services: h.services }));
    await expect(anonymous.bookmarks.list({})).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const { runId } = await caller.sync.start({ mode: "full" }); // no worker: the job waits

    // Over the WebSocket: a subscription.
    const sessionToken = randomUUID();
    await h.db.session.create({ data: { sessionToken, userId: user.id, expires: new Date(Date.now() + 3600_000) } });
    class CookieWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie: `next-auth.session-token=${sessionToken}`, origin: TEST_APP_ORIGIN } });
      }
    }
    const wsClient = createWSClient({
      url: `ws://${base}${TRPC_WS_PATH}`,
      WebSocket: CookieWebSocket as unknown as typeof globalThis.WebSocket,
    });
    const trpc = createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] });
    let started = false;
    const sub = trpc.sync.onProgress.subscribe(undefined, { onStarted: () => (started = true) });
    await expect.poll(() => started).toBe(true);

    const during = await scrape();
    expect(
      trpcCount(during, { path: "bookmarks.list", type: "query", ok: "true" }) -
        trpcCount(before, { path: "bookmarks.list", type: "query", ok: "true" }),
    ).toBe(2);
    expect(
      trpcCount(during, { path: "bookmarks.list", type: "query", ok: "false" }) -
        trpcCount(before, { path: "bookmarks.list", type: "query", ok: "false" }),
    ).toBe(1);
    expect(
      trpcCount(during, { path: "sync.start", type: "mutation", ok: "true" }) -
        trpcCount(before, { path: "sync.start", type: "mutation", ok: "true" }),
    ).toBe(1);
    await expect
      .poll(async () => trpcCount(await scrape(), { path: "sync.onProgress", type: "subscription", ok: "true" }))
      .toBeGreaterThanOrEqual(1);

    expect(promSample(during, "xb_ws_connections")! - (promSample(before, "xb_ws_connections") ?? 0)).toBe(1);

    // Queue depth by state, for both queues, every state present.
    const state = await h.services.syncQueue.getJobState(runId);
    expect(promSample(during, "xb_queue_jobs", { queue: "bookmark-sync", state })).toBe(1);
    expect(promSample(during, "xb_queue_jobs", { queue: "bookmark-sync", state: "active" })).toBe(0);
    expect(promSample(during, "xb_queue_jobs", { queue: "sync-maintenance", state: "waiting" })).toBe(0);
    expect(during.split("\n").filter((l) => l.startsWith('xb_queue_jobs{queue="bookmark-sync"'))).toHaveLength(8);

    // The library cache: the second read was a hit.
    expect(promSample(during, "xb_library_cache_hit_ratio")).toBeGreaterThan(0);
    expect(promSample(during, "xb_library_cache_requests_total", { layer: "memory", result: "hit" })).toBeGreaterThanOrEqual(1);

    sub.unsubscribe();
    void wsClient.close();
    await expect.poll(async () => promSample(await scrape(), "xb_ws_connections")).toBe(promSample(before, "xb_ws_connections") ?? 0);

    // The default process metrics carry the web's prefix.
    for (const name of [
      "xb_http_request_duration_seconds",
      "xb_trpc_procedure_duration_seconds",
      "xb_ws_connections",
      "xb_queue_jobs",
      "xb_library_cache_hit_ratio",
      "xb_web_process_cpu_seconds_total",
    ]) {
      expect(promDeclares(during, name), name).toBe(true);
    }
  });

  it("serves the exposition at GET /metrics, and leaves queue depth out while Redis does not answer", async () => {
    const res = await fetch(`http://${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/plain");
    const text = await res.text();
    expect(promDeclares(text, "xb_queue_jobs")).toBe(true);

    const dead = { name: "dead-queue", getJobCounts: () => Promise.reject(new Error("Connection is closed.")) };
    const hung = { name: "hung-queue", getJobCounts: () => new Promise<Record<string, number>>(() => undefined) };
    webMetrics().watchQueues(() => [h.services.syncQueue, dead, hung]);
    try {
      const t0 = Date.now();
      const text2 = await scrape();
      expect(Date.now() - t0).toBeLessThan(5_000);
      expect(text2).not.toContain('queue="dead-queue"');
      expect(text2).not.toContain('queue="hung-queue"');
      expect(promSample(text2, "xb_queue_jobs", { queue: "bookmark-sync", state: "active" })).toBe(0);
    } finally {
      webMetrics().watchQueues(() => [h.services.syncQueue, h.services.maintenanceQueue]);
    }
  });
});
