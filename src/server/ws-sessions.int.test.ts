import { TRPCClientError } from "@trpc/client";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { setRoleByHandle } from "~/server/admin/grant";
import { authOptions } from "~/server/auth";
import { webServices } from "~/server/services";
import { publishSessionsChanged } from "~/server/session-events";
import { TEST_APP_ORIGIN, wsTestServerForFile } from "~/testing/ws-test-server";
import { SESSION_ENDED_CLOSE_CODE } from "~/trpc/ws-close-codes";

/** Sessions end everywhere (issue 12, point 2): real sockets, real sessions, real Redis pub/sub. */
const SESSION_CHECK_MS = 1_000;
const t = wsTestServerForFile({ sessionCheckMs: SESSION_CHECK_MS });

afterAll(async () => {
  // events.signOut publishes through the process's web services (as in the web process).
  await webServices().close();
});

/** A raw socket logged in with `cookie`, once open; `closed` resolves with its close code and when. */
async function openSocket(cookie: string) {
  const ws = new WebSocket(t.srv.wsUrl, { headers: { cookie, origin: TEST_APP_ORIGIN } });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  // The server subscribes to the user's channel just after the upgrade.
  await new Promise((r) => setTimeout(r, 200));
  return { ws, closed };
}

const tokenOf = (cookie: string) => cookie.split("=")[1]!;

/** Logs out as next-auth's sign-out route does: deletes the session through the adapter, then events.signOut. */
async function signOut(cookie: string) {
  const session = await authOptions.adapter!.deleteSession!(tokenOf(cookie));
  await authOptions.events!.signOut!({ session: session as never, token: null as never });
}

const stillOpen = (ws: WebSocket) => ws.readyState === WebSocket.OPEN;

describe("a socket's session is re-checked", () => {
  it("logging out closes that user's sockets within a second (4401); other users' sockets stay open", async () => {
    const alice = await t.h.createUser(0);
    const bob = await t.h.createUser(0);
    const aliceCookie = await t.srv.sessionCookie(alice.id);
    const a1 = await openSocket(aliceCookie);
    // Another device of Alice's: another session, which stays valid but is told too.
    const a2 = await openSocket(await t.srv.sessionCookie(alice.id));
    const b = await openSocket(await t.srv.sessionCookie(bob.id));

    await signOut(aliceCookie);
    // Measured from the end of the log-out (next-auth's route answers then).
    const at = Date.now();
    const closed = await a1.closed;
    expect(closed.code).toBe(SESSION_ENDED_CLOSE_CODE);
    expect(closed.reason).toMatch(/log in again/);
    expect(closed.at - at).toBeLessThan(1_000);

    await new Promise((r) => setTimeout(r, 300));
    expect(stillOpen(a2.ws)).toBe(true);
    expect(stillOpen(b.ws)).toBe(true);
    a2.ws.close();
    b.ws.close();
  });

  it("queries and mutations over a socket whose session ended are refused", async () => {
    const user = await t.h.createUser(0);
    const cookie = await t.srv.sessionCookie(user.id);
    const c = t.srv.clientWithCookie(cookie);
    await expect(c.trpc.bookmarks.list.query({})).resolves.toBeTruthy();
    await signOut(cookie);
    // The socket is gone and the client's reconnect is refused (401): nothing reaches a procedure.
    const err = await Promise.race([
      c.trpc.tags.create.mutate({ name: "after-logout" }).then(
        () => null,
        (e: unknown) => e,
      ),
      new Promise((r) => setTimeout(() => r("no answer"), 3_000)),
    ]);
    expect(err === "no answer" || err instanceof TRPCClientError).toBe(true);
    expect(await t.h.db.tag.count({ where: { userId: user.id } })).toBe(0);
    void c.wsClient.close();
  });

  it("a session deleted or expired without an event is noticed at the next periodic check", async () => {
    const user = await t.h.createUser(0);
    const deleted = await t.srv.sessionCookie(user.id);
    const expired = await t.srv.sessionCookie(user.id);
    const s1 = await openSocket(deleted);
    const s2 = await openSocket(expired);
    const at = Date.now();
    await t.h.db.session.delete({ where: { sessionToken: tokenOf(deleted) } });
    await t.h.db.session.update({ where: { sessionToken: tokenOf(expired) }, data: { expires: new Date(Date.now() - 1) } });
    for (const s of [s1, s2]) {
      const closed = await s.closed;
      expect(closed.code).toBe(SESSION_ENDED_CLOSE_CODE);
      expect(closed.at - at).toBeLessThan(SESSION_CHECK_MS + 1_000);
    }
  });

  it("a 'sessions changed' event for a user whose session is still valid keeps the socket", async () => {
    const user = await t.h.createUser(0);
    const s = await openSocket(await t.srv.sessionCookie(user.id));
    await publishSessionsChanged(t.h.services.redis, user.id);
    await new Promise((r) => setTimeout(r, 500));
    expect(stillOpen(s.ws)).toBe(true);
    s.ws.close();
  });
});

describe("demotion", () => {
  it("ends an open admin subscription at once with FORBIDDEN (npm run admin:grant -- --revoke)", async () => {
    const admin = await t.h.createUser(0);
    await t.h.db.user.update({ where: { id: admin.id }, data: { role: "ADMIN" } });
    const c = t.srv.clientWithCookie(await t.srv.sessionCookie(admin.id));
    let batches = 0;
    const ended = new Promise<{ error: unknown; at: number }>((resolve) => {
      c.trpc.admin.onQueueEvents.subscribe(undefined, {
        onData: () => void batches++,
        onError: (error) => resolve({ error, at: Date.now() }),
      });
    });
    // Live: the first (empty) batch arrived.
    await expect.poll(() => batches, { timeout: 5_000 }).toBeGreaterThan(0);

    const at = Date.now();
    const revoked = await setRoleByHandle(t.h.db, admin.username, "USER", [], (id) => publishSessionsChanged(t.h.services.redis, id));
    expect(revoked).toMatchObject({ ok: true, changed: true });
    const { error, at: endedAt } = await ended;
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as { data?: { code?: string } }).data?.code).toBe("FORBIDDEN");
    expect(endedAt - at).toBeLessThan(1_000);
    // Still logged in: their own procedures keep working on the same socket.
    await expect(c.trpc.bookmarks.list.query({})).resolves.toBeTruthy();
    void c.wsClient.close();
  });
});
