import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Redis } from "ioredis";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { env } from "~/env";
import { handleTrpcHttp } from "~/server/api/http";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { exportResponse } from "~/server/bookmarks/export";
import { closeDb, createPrisma, type Db } from "~/server/db";
import { createWebServices, type WebServices } from "~/server/services";
import { toAppSession } from "~/server/session";
import { attachTrpcWebSocket } from "~/server/ws";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { TEST_APP_ORIGIN, testSocketOptions } from "~/testing/ws-test-server";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { CLIENT_IP_HEADER } from "./client-ip";
import { LOGIN_LIMITED_PATH, limitLogin } from "./login";
import { RateLimitedError, RateLimits, type LimitSettings } from "./rate-limits";
import { recentRefusals } from "./refusals";

/**
 * The per-user and per-IP limits against real Redis (shared counters), Postgres and tRPC over real
 * HTTP and a real WebSocket. Each test gets its own Redis key prefix, so counts never carry over.
 */
const LARGE: LimitSettings = {
  callsPerMinute: 10_000,
  syncStartsPerHour: 10_000,
  exportsPerHour: 10_000,
  loginsPerIp: 10_000,
  exportMaxSeconds: 300,
  importsPerHour: 10_000,
};

let db: Db;
const opened: WebServices[] = [];
const servers: Server[] = [];

beforeAll(() => {
  db = createPrisma();
});
afterAll(async () => {
  for (const s of servers) s.close();
  await Promise.allSettled(opened.map((s) => s.close()));
  await closeDb(db);
});

/** Services with these limits, once their Redis connection is up (so every count is shared). */
async function servicesWith(limits: Partial<LimitSettings>): Promise<WebServices> {
  const s = createWebServices({ db, redisUrl: env.REDIS_URL, prefix: `t-rl-${randomUUID().slice(0, 8)}`, limits: { ...LARGE, ...limits } });
  opened.push(s);
  await s.limits.whenConnected();
  return s;
}

const sessionOf = (id: string) => toAppSession({ id }, new Date(Date.now() + 3600_000));
const callerFor = (services: WebServices, userId: string) => createCaller(createTRPCContext({ session: sessionOf(userId), services }));

/** tRPC over real HTTP through the app's handler; the `x-test-user` header says who is calling. */
async function httpServer(services: WebServices): Promise<string> {
  const server = createServer(
    getRequestListener((req) => {
      const user = req.headers.get("x-test-user");
      return handleTrpcHttp(req, async () => createTRPCContext({ session: user ? sessionOf(user) : null, services }));
    }),
  );
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface TrpcAnswer {
  result?: unknown;
  error?: { json: { message: string; data: { code: string; httpStatus: number; retryAfterSeconds: number | null; limit: string | null } } };
}

async function countCalls(
  base: string,
  userId: string,
  n: number,
): Promise<{ status: number; retryAfter: string | null; answers: TrpcAnswer[] }> {
  const paths = Array.from({ length: n }, () => "bookmarks.count").join(",");
  const res = await fetch(`${base}/api/trpc/${paths}?batch=1&input=${encodeURIComponent(JSON.stringify({}))}`, {
    headers: { "x-test-user": userId },
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), answers: (await res.json()) as TrpcAnswer[] };
}

describe("calls per user", () => {
  it("answers HTTP 429 with Retry-After and a sentence once a user is over the limit, and only that user", async () => {
    const services = await servicesWith({ callsPerMinute: 5 });
    const base = await httpServer(services);
    const [alice, bob] = [await createLibraryUser(db), await createLibraryUser(db)];

    for (let i = 0; i < 5; i++) expect((await countCalls(base, alice.id, 1)).status).toBe(200);
    const refused = await countCalls(base, alice.id, 1);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.retryAfter);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const error = refused.answers[0]!.error!.json;
    expect(error.data.code).toBe("TOO_MANY_REQUESTS");
    expect(error.data.retryAfterSeconds).toBe(retryAfter);
    expect(error.data.limit).toBe("calls");
    expect(error.message).toMatch(/^Too many requests: at most 5 requests a minute\. Try again in \d+ seconds?\.$/);

    // Bob has his own count.
    expect((await countCalls(base, bob.id, 1)).status).toBe(200);
  });

  it("counts every call inside an HTTP batch, not the request", async () => {
    const services = await servicesWith({ callsPerMinute: 5 });
    const base = await httpServer(services);
    const alice = await createLibraryUser(db);

    const batch = await countCalls(base, alice.id, 8);
    const codes = batch.answers.map((a) => a.error?.json.data.code ?? "OK");
    expect(codes).toEqual(["OK", "OK", "OK", "OK", "OK", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
    expect(Number(batch.retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it("counts every call inside a WebSocket batch frame, and shares the count with HTTP", async () => {
    const services = await servicesWith({ callsPerMinute: 6 });
    const base = await httpServer(services);
    const alice = await createLibraryUser(db);
    const server = createServer((_req, res) => res.writeHead(404).end());
    servers.push(server);
    const sockets = attachTrpcWebSocket(server, () => services, testSocketOptions);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const sessionToken = randomUUID();
    await db.session.create({ data: { sessionToken, userId: alice.id, expires: new Date(Date.now() + 3600_000) } });

    // Two calls over HTTP first: the socket's batch has 4 left.
    expect((await countCalls(base, alice.id, 2)).status).toBe(200);

    const ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}${TRPC_WS_PATH}`, {
      headers: { cookie: `next-auth.session-token=${sessionToken}`, origin: TEST_APP_ORIGIN },
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    type WsError = { data: { code: string; retryAfterSeconds: number | null } };
    const answers = new Map<number, { result?: unknown; error?: WsError }>();
    const all = new Promise<void>((resolve) =>
      ws.on("message", (raw) => {
        // Errors travel through the transformer (superjson): { json: shape }.
        const msg = JSON.parse(String(raw)) as { id?: number; result?: unknown; error?: { json: WsError } };
        if (typeof msg.id === "number") answers.set(msg.id, { result: msg.result, error: msg.error?.json });
        if (answers.size === 8) resolve();
      }),
    );
    // One frame, eight calls.
    ws.send(
      JSON.stringify(
        Array.from({ length: 8 }, (_, i) => ({
          id: i + 1,
          method: "query",
          params: { path: "bookmarks.count", input: superjson.serialize(undefined) },
        })),
      ),
    );
    await all;
    ws.close();
    sockets.close();

    const refused = [...answers.values()].filter((a) => a.error?.data.code === "TOO_MANY_REQUESTS");
    expect(refused).toHaveLength(4);
    expect(refused.every((a) => (a.error?.data.retryAfterSeconds ?? 0) >= 1)).toBe(true);
    expect([...answers.values()].filter((a) => a.result !== undefined)).toHaveLength(4);
  });
});

describe("sync starts per user", () => {
  it("refuses the start over the hour's limit with TOO_MANY_REQUESTS and when to try again", async () => {
    const services = await servicesWith({ syncStartsPerHour: 2 });
    const alice = await createLibraryUser(db); // no X account: each start that is let through says so
    const caller = callerFor(services, alice.id);
    for (let i = 0; i < 2; i++)
      await expect(caller.sync.start({ mode: "incremental" })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const refused = await caller.sync.start({ mode: "incremental" }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "TOO_MANY_REQUESTS", message: expect.stringMatching(/started 2 syncs in the last hour/) });
    const cause = (refused as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(RateLimitedError);
    expect((cause as RateLimitedError).retryAfterSeconds).toBeGreaterThan(3000);
  });
});

describe("exports per user", () => {
  const exportReq = () => new Request("http://localhost/api/export?format=csv");

  it("runs one export at a time per user, frees the slot when the file ends, and limits the hour's exports", async () => {
    const services = await servicesWith({ exportsPerHour: 3 });
    const alice = await createLibraryUser(db);
    const bob = await createLibraryUser(db);
    await seedBookmarks(db, alice.id, [{ text: "one" }, { text: "two" }, { text: "three" }]);
    const run = (userId: string) => exportResponse(db, sessionOf(userId), exportReq(), { limits: services.limits, pageSize: 1 });

    const first = await run(alice.id); // streaming: its body not read yet
    expect(first.status).toBe(200);
    const second = await run(alice.id);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await second.json()) as { error: string }).error).toMatch(/exports is still running/);
    expect((await run(bob.id)).status).toBe(200); // someone else's export is not in the way

    expect(await first.text()).toContain("three");
    const third = await run(alice.id); // the slot is free again
    expect(third.status).toBe(200);
    await third.body!.cancel(); // a cancelled download frees it too
    const fourth = await run(alice.id);
    expect(fourth.status).toBe(200);
    await fourth.text();

    // Three exports this hour (the refused one did not count): the next is over the limit.
    const fifth = await run(alice.id);
    expect(fifth.status).toBe(429);
    expect(((await fifth.json()) as { error: string }).error).toMatch(
      /^You have exported 3 times in the last hour, the most allowed\. Try again in (60|59) minutes\.$/,
    );
  });
});

describe("log-in attempts per IP", () => {
  const attempt = (ip: string, path = "/api/auth/signin/twitter", method = "POST") =>
    new Request(`http://localhost${path}`, { method, headers: { [CLIENT_IP_HEADER]: ip } });

  it("answers 429 with Retry-After past the limit, per IP, counting sign-in starts and callbacks only", async () => {
    const { limits } = await servicesWith({ loginsPerIp: 3 });
    expect(await limitLogin(attempt("203.0.113.1"), limits)).toBeNull();
    expect(await limitLogin(attempt("203.0.113.1", "/api/auth/callback/twitter?code=x&state=y", "GET"), limits)).toBeNull();
    // Pages read these all the time: never counted.
    for (let i = 0; i < 5; i++) {
      expect(await limitLogin(attempt("203.0.113.1", "/api/auth/session", "GET"), limits)).toBeNull();
      expect(await limitLogin(attempt("203.0.113.1", "/api/auth/csrf", "GET"), limits)).toBeNull();
    }
    expect(await limitLogin(attempt("203.0.113.1"), limits)).toBeNull();

    const refused = await limitLogin(attempt("203.0.113.1"), limits);
    expect(refused?.status).toBe(429);
    expect(Number(refused?.headers.get("retry-after"))).toBeGreaterThan(60);
    // next-auth's signIn() goes to `url`: the login page, which says what happened.
    expect(await refused?.json()).toEqual({
      error: expect.stringMatching(/^Too many log-in attempts from your network\./),
      url: LOGIN_LIMITED_PATH,
    });

    const page = await limitLogin(attempt("203.0.113.1", "/api/auth/callback/twitter", "GET"), limits);
    expect(page?.status).toBe(429);
    expect(page?.headers.get("content-type")).toMatch(/text\/plain/);
    expect(await page?.text()).toMatch(/Too many log-in attempts/);

    expect(await limitLogin(attempt("203.0.113.2"), limits)).toBeNull(); // another address
  });
});

describe("who is being limited", () => {
  it("records refusals per limit and subject, and admin.limited lists them with handles and counts", async () => {
    const services = await servicesWith({ callsPerMinute: 1, loginsPerIp: 1 });
    const alice = await createLibraryUser(db);
    const admin = await createLibraryUser(db);
    await db.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const caller = callerFor(services, alice.id);
    await caller.bookmarks.count();
    for (let i = 0; i < 3; i++) await expect(caller.bookmarks.count()).rejects.toMatchObject({ code: "TOO_MANY_REQUESTS" });
    const ip = { [CLIENT_IP_HEADER]: "198.51.100.4" };
    await limitLogin(new Request("http://localhost/api/auth/signin/twitter", { method: "POST", headers: ip }), services.limits);
    await limitLogin(new Request("http://localhost/api/auth/signin/twitter", { method: "POST", headers: ip }), services.limits);

    // Recording is fire-and-forget: give it a moment.
    await expect.poll(async () => (await recentRefusals(services.redis, services.prefix)).length).toBe(2);
    // The admin is limited too (1 call a minute), so use a second set of services on the same prefix.
    const adminServices = createWebServices({ db, redisUrl: env.REDIS_URL, prefix: services.prefix, limits: LARGE });
    opened.push(adminServices);
    const { rows } = await callerFor(adminServices, admin.id).admin.limited();
    expect(rows).toEqual([
      { limit: "login", kind: "ip", id: "198.51.100.4", handle: null, count: 1, lastAt: expect.any(Date) },
      { limit: "calls", kind: "user", id: alice.id, handle: alice.handle, count: 3, lastAt: expect.any(Date) },
    ]);
    await expect(callerFor(adminServices, alice.id).admin.limited()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("with Redis down", () => {
  it("keeps limiting in this process's memory instead of refusing everyone or no one", async () => {
    // Nothing listens on port 1: every command fails at once (no offline queue).
    const dead = new Redis("redis://127.0.0.1:1", {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on("error", () => undefined);
    const limits = new RateLimits(dead, `t-dead-${randomUUID().slice(0, 8)}`, { ...LARGE, callsPerMinute: 3 });
    const user = { kind: "user" as const, id: "someone" };
    for (let i = 0; i < 3; i++) await limits.consume("calls", user);
    await expect(limits.consume("calls", user)).rejects.toBeInstanceOf(RateLimitedError);
    await expect(limits.consume("calls", { kind: "user", id: "someone-else" })).resolves.toBeUndefined();
    dead.disconnect();
  });
});
