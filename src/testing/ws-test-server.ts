import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import superjson from "superjson";
import { afterAll, beforeAll } from "vitest";
import { WebSocket } from "ws";
import type { AppRouter } from "~/server/api/root";
import { attachTrpcWebSocket } from "~/server/ws";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { startHarness, type Harness } from "./harness";

/** The origin the test servers take for the app's own (what a browser on the app's pages sends). */
export const TEST_APP_ORIGIN = "http://app.test";
/** attachTrpcWebSocket's options for a test server: sockets from TEST_APP_ORIGIN's pages. */
export const testSocketOptions = { allowedOrigins: () => new Set([TEST_APP_ORIGIN]) };

/**
 * The app's tRPC WebSocket on a real HTTP server (no Next), for tests that need real sockets:
 * clients log in with a real next-auth database session cookie and open the socket from the
 * app's own origin, as a browser on the app's pages does.
 */
export async function startWsTestServer(h: Harness, opts: { sessionCheckMs?: number } = {}) {
  const server = createServer((_req, res) => res.writeHead(404).end());
  const sockets = attachTrpcWebSocket(server, () => h.services, { ...testSocketOptions, ...opts });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const wsUrl = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${TRPC_WS_PATH}`;

  /** A logged-in browser's cookie for `userId` (a real next-auth database session row). */
  async function sessionCookie(userId: string): Promise<string> {
    const sessionToken = randomUUID();
    await h.db.session.create({ data: { sessionToken, userId, expires: new Date(Date.now() + 3600_000) } });
    return `next-auth.session-token=${sessionToken}`;
  }

  /** A `ws` WebSocket that sends the cookie on the upgrade (Node has no browser cookie jar). */
  function cookieSocket(cookie: string) {
    return class CookieWebSocket extends WebSocket {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols, { headers: { cookie, origin: TEST_APP_ORIGIN } });
      }
    };
  }

  /** A tRPC client over its own socket, logged in with `cookie`. */
  /** A tRPC client over the socket, logged in by `cookie`; `clientId` as the browser sends it. */
  function clientWithCookie(cookie: string, clientId?: string) {
    const wsClient = createWSClient({
      url: wsUrl,
      WebSocket: cookieSocket(cookie) as unknown as typeof globalThis.WebSocket,
      retryDelayMs: () => 100,
      ...(clientId && { connectionParams: { clientId } }),
    });
    return { wsClient, trpc: createTRPCClient<AppRouter>({ links: [wsLink({ client: wsClient, transformer: superjson })] }) };
  }

  return {
    wsUrl,
    sessionCookie,
    cookieSocket,
    clientWithCookie,
    close() {
      sockets.close();
      server.close();
    },
  };
}

/**
 * A harness and a WebSocket test server shared by one test file: started before its tests,
 * closed after them. Read `h` and `srv` inside tests (they exist once beforeAll has run).
 */
export function wsTestServerForFile(opts: { sessionCheckMs?: number } = {}) {
  const t = {} as { h: Harness; srv: Awaited<ReturnType<typeof startWsTestServer>> };
  beforeAll(async () => {
    t.h = await startHarness();
    t.srv = await startWsTestServer(t.h, opts);
  });
  afterAll(async () => {
    t.srv?.close();
    await t.h?.close();
  });
  return t;
}
