import { randomUUID } from "node:crypto";
import { connect } from "node:net";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SyncProgressEvent } from "~/server/sync/events";
import { TEST_APP_ORIGIN, wsTestServerForFile } from "~/testing/ws-test-server";

const t = wsTestServerForFile();

const sessionCookie = (userId: string) => t.srv.sessionCookie(userId);
const clientWithCookie = (cookie: string) => t.srv.clientWithCookie(cookie);

function upgradeStatus(headers: Record<string, string> = {}, url = t.srv.wsUrl): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { origin: TEST_APP_ORIGIN, ...headers } });
    ws.on("unexpected-response", (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on("open", () => {
      ws.close();
      resolve(101);
    });
    ws.on("error", (e) => (e.message.includes("Unexpected server response") ? undefined : reject(e)));
  });
}

/**
 * A raw upgrade request over TCP: resolves with what the server wrote and whether it closed the
 * connection (within 2 s), so a request left hanging is seen as such.
 */
function rawUpgrade(path: string, headers: Record<string, string> = {}): Promise<{ answer: string; closed: boolean }> {
  const { port } = new URL(t.srv.wsUrl);
  return new Promise((resolve) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ answer, closed: false });
    }, 2_000);
    socket.on("data", (d: Buffer) => (answer += d.toString()));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve({ answer, closed: true });
    });
    socket.on("error", () => undefined);
    const lines = [
      `GET ${path} HTTP/1.1`,
      `Host: 127.0.0.1:${port}`,
      "Upgrade: websocket",
      "Connection: Upgrade",
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
      "Sec-WebSocket-Version: 13",
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    ];
    socket.write(`${lines.join("\r\n")}\r\n\r\n`);
  });
}

describe("WebSocket upgrades from other sites and to other paths", () => {
  it("refuses (403) a logged-in user's socket opened from another origin, or with none", async () => {
    const user = await t.h.createUser(0);
    const cookie = await sessionCookie(user.id);
    expect(await upgradeStatus({ cookie })).toBe(101);
    expect(await upgradeStatus({ cookie, origin: "http://evil.example" })).toBe(403);
    expect(await upgradeStatus({ cookie, origin: "http://app.test:4000" })).toBe(403); // another port
    expect(await upgradeStatus({ cookie, origin: "https://app.test" })).toBe(403); // another scheme
    expect(await upgradeStatus({ cookie, origin: "null" })).toBe(403); // sandboxed iframe, file://
    const noOrigin = await rawUpgrade("/api/trpc-ws", { cookie });
    expect(noOrigin.answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(noOrigin.closed).toBe(true);
  });

  it("answers upgrades to any other path with 404 and closes them", async () => {
    for (const path of ["/", "/api/trpc/ws", "/_next/hmr", "/api/trpc-ws/extra", "/nothing?x=1"]) {
      const { answer, closed } = await rawUpgrade(path, { origin: TEST_APP_ORIGIN });
      expect(answer, path).toMatch(/^HTTP\/1\.1 404 /);
      expect(answer, path).toContain("/api/trpc-ws");
      expect(closed, path).toBe(true);
    }
  });

  it("answers a malformed percent-encoded cookie with 401, not an error", async () => {
    const { answer, closed } = await rawUpgrade("/api/trpc-ws", { origin: TEST_APP_ORIGIN, cookie: "next-auth.session-token=%E0%A4%A" });
    expect(answer).toMatch(/^HTTP\/1\.1 401 /);
    expect(closed).toBe(true);
    expect(await upgradeStatus({ cookie: "other=%zz; next-auth.session-token=%" })).toBe(401);
  });
});

describe("tRPC over WebSocket", () => {
  it("refuses an upgrade without a valid session", async () => {
    expect(await upgradeStatus()).toBe(401);
    expect(await upgradeStatus({ cookie: "next-auth.session-token=forged" })).toBe(401);
    const user = await t.h.createUser(0);
    const expired = randomUUID();
    await t.h.db.session.create({ data: { sessionToken: expired, userId: user.id, expires: new Date(Date.now() - 1000) } });
    expect(await upgradeStatus({ cookie: `next-auth.session-token=${expired}` })).toBe(401);
    expect(await upgradeStatus({ cookie: await sessionCookie(user.id) })).toBe(101);
  });

  it("delivers a user's sync progress to that user's sockets only", async () => {
    const alice = await t.h.createUser(0);
    const bob = await t.h.createUser(300);
    const a = clientWithCookie(await sessionCookie(alice.id));
    const b = clientWithCookie(await sessionCookie(bob.id));
    const aliceEvents: SyncProgressEvent[] = [];
    const bobEvents: SyncProgressEvent[] = [];
    const ready = { a: false, b: false };
    const subA = a.trpc.sync.onProgress.subscribe(undefined, { onData: (e) => aliceEvents.push(e), onStarted: () => (ready.a = true) });
    const subB = b.trpc.sync.onProgress.subscribe(undefined, { onData: (e) => bobEvents.push(e), onStarted: () => (ready.b = true) });
    await expect.poll(() => ready.a && ready.b).toBe(true);
    // Subscription is in place on the server once the (empty) latest-state lookup is done.
    await new Promise((r) => setTimeout(r, 200));

    const { runId } = await t.h.caller(bob.id).sync.start({ mode: "full" });
    await t.h.waitForRun(runId);
    await expect.poll(() => bobEvents.some((e) => e.runId === runId && e.phase === "done"), { timeout: 5000 }).toBe(true);

    const bobsRun = bobEvents.filter((e) => e.runId === runId);
    expect(bobsRun[0]?.phase).toBe("queued");
    expect(bobsRun.at(-1)).toMatchObject({ phase: "done", percent: 100, fetched: 300, created: 300 });
    // Percent never goes backwards.
    const percents = bobsRun.map((e) => e.percent);
    expect(percents).toEqual([...percents].sort((x, y) => x - y));
    expect(aliceEvents.filter((e) => e.userId === bob.id || e.runId === runId)).toEqual([]);

    subA.unsubscribe();
    subB.unsubscribe();
    void a.wsClient.close();
    void b.wsClient.close();
  });

  it("sends a late subscriber the current state first", async () => {
    const user = await t.h.createUser(20);
    const { runId } = await t.h.caller(user.id).sync.start({ mode: "full" });
    await t.h.waitForRun(runId);
    const c = clientWithCookie(await sessionCookie(user.id));
    const first = await new Promise<SyncProgressEvent>((resolve) => {
      const sub = c.trpc.sync.onProgress.subscribe(undefined, {
        onData: (e) => {
          sub.unsubscribe();
          resolve(e);
        },
      });
    });
    expect(first).toMatchObject({ runId, phase: "done", fetched: 20 });
    void c.wsClient.close();
  });
});
