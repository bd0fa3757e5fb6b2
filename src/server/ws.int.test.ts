import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { SyncProgressEvent } from "~/server/sync/events";
import { wsTestServerForFile } from "~/testing/ws-test-server";

const t = wsTestServerForFile();

const sessionCookie = (userId: string) => t.srv.sessionCookie(userId);
const clientWithCookie = (cookie: string) => t.srv.clientWithCookie(cookie);

function upgradeStatus(headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(t.srv.wsUrl, { headers });
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
    a.wsClient.close();
    b.wsClient.close();
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
    c.wsClient.close();
  });
});
