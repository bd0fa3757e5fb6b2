import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import type { Logger } from "pino";
import { WebSocketServer, type WebSocket } from "ws";
import { env } from "~/env";
import { parseClientId } from "~/shared/client-id";
import { SESSION_ENDED_CLOSE_CODE } from "~/trpc/ws-close-codes";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { appRouter } from "./api/root";
import { createTRPCContext, loggedByProcedure } from "./api/trpc";
import { allowedOrigins, checkOrigin } from "./http/origin";
import { webMetrics } from "./metrics";
import type { WebServices } from "./services";
import { sessionFromCookieHeader, type AppSession } from "./session";
import { redisKeys } from "./sync/events";

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

/** One socket's session: re-checked while the socket lives; `dead` once it ended. */
interface SocketSession {
  session: AppSession;
  dead: boolean;
}

/**
 * Keeps a socket's session current: re-read from the database every `checkMs` and at once when
 * the user's "sessions changed" event arrives (log-out, demotion: session-events.ts). A session
 * that ended (deleted, expired, another user's) closes the socket with SESSION_ENDED_CLOSE_CODE,
 * and nothing it sent after that reaches tRPC; a changed role replaces the session its
 * procedures see. A failed check (database down) leaves it as it is.
 */
function watchSession(
  ws: WebSocket,
  req: IncomingMessage,
  state: SocketSession,
  deps: { services: WebServices; checkMs: number; logger?: Logger },
) {
  const { services, checkMs, logger } = deps;
  const end = () => {
    if (state.dead) return;
    state.dead = true;
    ws.removeAllListeners("message");
    ws.close(SESSION_ENDED_CLOSE_CODE, "session ended: log in again");
    setTimeout(() => ws.terminate(), 1_000).unref();
  };
  const check = async () => {
    if (state.dead) return;
    const fresh = await sessionFromCookieHeader(services.db, req.headers.cookie);
    if (!fresh || fresh.user.id !== state.session.user.id) end();
    else state.session = fresh;
  };
  const checkNow = () =>
    void check().catch((err: unknown) =>
      logger?.warn({ err, userId: state.session.user.id }, "WebSocket session check failed; keeping the socket"),
    );
  const timer = setInterval(checkNow, checkMs);
  let unsubscribe: (() => Promise<void>) | null = null;
  let closed = false;
  ws.once("close", () => {
    closed = true;
    clearInterval(timer);
    void unsubscribe?.();
  });
  services.fanout.subscribe(redisKeys.sessionsChanged(state.session.user.id), checkNow).then(
    (off) => {
      if (closed) void off();
      else {
        unsubscribe = off;
        // An event published between the upgrade and this subscription would be lost: look once.
        checkNow();
      }
    },
    (err: unknown) => logger?.warn({ err }, "WebSocket could not follow session events; periodic checks only"),
  );
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
  /** How often a socket re-reads its session (default WS_SESSION_CHECK_MS). */
  sessionCheckMs?: number;
}

/**
 * tRPC subscriptions over WebSocket on the web server's own port. The upgrade is refused with
 * 403 unless it comes from the app's own pages (Origin), then with 401 unless it carries a valid
 * next-auth session cookie, so neither a hostile page nor an anonymous socket reaches a
 * procedure. Upgrades to any other path are answered 404 and closed, except Next's HMR socket in
 * development (Next attaches its own upgrade listener for it). The session is then re-checked
 * while the socket lives (watchSession).
 */
export function attachTrpcWebSocket(server: Server, services: () => WebServices, opts: TrpcWebSocketOptions = {}) {
  const { logger, dev = false } = opts;
  const origins = opts.allowedOrigins ?? (() => allowedOrigins());
  const sessions = new WeakMap<IncomingMessage, SocketSession>();
  const checkMs = opts.sessionCheckMs ?? env.WS_SESSION_CHECK_MS;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // xb_ws_connections: up when a socket is accepted, down when it closes (however it closes).
  // The message limit is registered here, before tRPC's own handler (applyWSSHandler below).
  wss.on("connection", (ws, req) => {
    ws.once("close", webMetrics().webSocketOpened());
    limitMessages(ws, () =>
      logger?.warn({ userId: sessions.get(req)?.session.user.id, limit: MESSAGES_PER_SECOND }, "WebSocket closed: too many messages"),
    );
    const state = sessions.get(req);
    if (state) watchSession(ws, req, state, { services: services(), checkMs, logger });
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
          sessions.set(req, { session, dead: false });
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
    createContext: ({ req, info }) => {
      const ctx = createTRPCContext({ session: null, services: services(), clientId: parseClientId(info.connectionParams?.clientId) });
      const state = sessions.get(req);
      // Read at each call: the re-checked session, or none once it ended (UNAUTHORIZED).
      Object.defineProperty(ctx, "session", { get: () => (state && !state.dead ? state.session : null), enumerable: true });
      return ctx;
    },
    keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
    // Procedure failures are logged by the procedure middleware (api/trpc.ts); this logs the
    // rest: a subscription failing after it started, failures outside any procedure.
    onError({ error, path, type, ctx }) {
      if (error.code === "INTERNAL_SERVER_ERROR" && !loggedByProcedure(error)) {
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
