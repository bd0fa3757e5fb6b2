import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { appRouter } from "./api/root";
import { allowedOrigins, checkOrigin } from "./http/origin";
import { createTRPCContext } from "./api/trpc";
import { webMetrics } from "./metrics";
import type { WebServices } from "./services";
import { sessionFromCookieHeader, type AppSession } from "./session";

/** Messages a socket may send per second (sustained; also the burst it may send at once). */
export const MESSAGES_PER_SECOND = 10;
/** The close code for a socket over its limit (policy violation). */
export const TOO_MANY_MESSAGES = 1008;

/**
 * A token bucket per socket: MESSAGES_PER_SECOND tokens, refilled continuously. A socket that
 * sends a message with the bucket empty is closed with 1008; the messages it sends after that
 * never reach tRPC (its listeners are removed), and it is cut off if it does not finish the close
 * handshake within a second. Must be registered before tRPC's message handler.
 */
function limitMessages(ws: WebSocket, onExceeded: () => void) {
  let tokens = MESSAGES_PER_SECOND;
  let last = performance.now();
  const onMessage = () => {
    const now = performance.now();
    tokens = Math.min(MESSAGES_PER_SECOND, tokens + ((now - last) / 1000) * MESSAGES_PER_SECOND);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return;
    }
    // tRPC still sees this message (listeners of one event cannot be stopped), but not later ones;
    // and its answers are dropped: it sends only while the socket is open.
    ws.removeAllListeners("message");
    ws.close(TOO_MANY_MESSAGES, "too many messages");
    setTimeout(() => ws.terminate(), 1_000).unref();
    onExceeded();
  };
  ws.on("message", onMessage);
}

/** Next's dev HMR sockets (Turbopack's and webpack's): Next answers them itself, in development only. */
const NEXT_HMR_PATHS = new Set(["/_next/hmr", "/_next/webpack-hmr"]);

/** Answers an upgrade request with a plain HTTP status and closes the connection. */
function refuseUpgrade(socket: Duplex, status: 400 | 401 | 403 | 404 | 503, text: string) {
  const reason = { 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 503: "Service Unavailable" }[status];
  const body = Buffer.from(text);
  socket.on("error", () => undefined); // a client gone already is not our error
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${text}`,
    () => socket.destroy(),
  );
}

export interface TrpcWebSocketOptions {
  logger?: Logger;
  /** Origins whose pages may open the socket (default: the app's own, see http/origin.ts). */
  allowedOrigins?: () => ReadonlySet<string>;
  /** Leave Next's HMR upgrade path to Next (development). */
  dev?: boolean;
}

/**
 * tRPC subscriptions over WebSocket on the web server's own port. The upgrade is refused with
 * 403 unless it comes from the app's own pages (Origin), then with 401 unless it carries a valid
 * next-auth session cookie, so neither a hostile page nor an anonymous socket reaches a
 * procedure. Upgrades to any other path are answered 404 and closed, except Next's HMR socket in
 * development (Next attaches its own upgrade listener for it).
 */
export function attachTrpcWebSocket(server: Server, services: () => WebServices, opts: TrpcWebSocketOptions = {}) {
  const { logger, dev = false } = opts;
  const origins = opts.allowedOrigins ?? (() => allowedOrigins());
  const sessions = new WeakMap<IncomingMessage, AppSession>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // xb_ws_connections: up when a socket is accepted, down when it closes (however it closes).
  // The message limit is registered here, before tRPC's own handler (applyWSSHandler below).
  wss.on("connection", (ws, req) => {
    ws.once("close", webMetrics().webSocketOpened());
    limitMessages(ws, () => logger?.warn({ userId: sessions.get(req)?.user.id, limit: MESSAGES_PER_SECOND }, "WebSocket closed: too many messages"));
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    } catch {
      refuseUpgrade(socket, 400, "Bad request path.");
      return;
    }
    if (pathname !== TRPC_WS_PATH) {
      if (dev && NEXT_HMR_PATHS.has(pathname)) return;
      refuseUpgrade(socket, 404, `No WebSocket here: the app's is ${TRPC_WS_PATH}.`);
      return;
    }
    const verdict = checkOrigin(req.headers, origins(), { requireOrigin: true });
    if (!verdict.ok) {
      refuseUpgrade(socket, 403, `${verdict.reason} Only the app's own pages may open this socket.`);
      return;
    }
    sessionFromCookieHeader(services().db, req.headers.cookie)
      .then((session) => {
        if (!session) {
          refuseUpgrade(socket, 401, "Log in with X first.");
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          sessions.set(req, session);
          wss.emit("connection", ws, req);
        });
      })
      .catch((err: unknown) => {
        logger?.error({ err }, "WebSocket upgrade failed");
        refuseUpgrade(socket, 503, "The server could not check the session; try again.");
      });
  });

  const handler = applyWSSHandler({
    wss,
    router: appRouter,
    createContext: ({ req }) => createTRPCContext({ session: sessions.get(req) ?? null, services: services() }),
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    // Procedure errors are logged by the timing middleware (api/trpc.ts); this also sees a
    // subscription failing after it started, and failures outside any procedure.
    onError({ error, path, type, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        logger?.error({ path, type, userId: ctx?.session?.user.id, err: error.cause ?? error }, "tRPC WebSocket call failed");
      }
    },
  });

  return {
    wss,
    /** Tell clients to reconnect (to another process) and stop accepting sockets. */
    close() {
      handler.broadcastReconnectNotification();
      wss.close();
      for (const client of wss.clients) client.terminate();
    },
  };
}
