import { createServer, type IncomingMessage } from "node:http";
import { applyWSSHandler } from "@trpc/server/adapters/ws";
import next from "next";
import { WebSocketServer } from "ws";
import { env } from "~/env";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { appRouter } from "./api/root";
import { createTRPCContext } from "./api/trpc";
import { db } from "./db";
import { createLogger } from "./logger";
import { webServices } from "./services";
import { sessionFromCookieHeader, type AppSession } from "./session";

/**
 * The web process: Next.js and the tRPC WebSocket server on one port. Sockets are
 * authenticated from the next-auth session cookie during the upgrade; anything else on the
 * upgrade path (Next's HMR socket in dev) is left to Next.
 */
const logger = createLogger("web");
const dev = env.NODE_ENV !== "production";
const hostname = process.env.HOST ?? "127.0.0.1";
process.env.NEXTAUTH_URL ??= `http://${hostname}:${env.PORT}`;

const app = next({ dev, hostname, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  void handle(req, res);
});

const sessions = new WeakMap<IncomingMessage, AppSession>();
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
server.on("upgrade", (req, socket, head) => {
  const { pathname } = new URL(req.url ?? "/", "http://localhost");
  if (pathname !== TRPC_WS_PATH) return; // Next's own listener handles /_next/hmr
  sessionFromCookieHeader(db, req.headers.cookie)
    .then((session) => {
      if (!session) {
        socket.end("HTTP/1.1 401 Unauthorized\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nLog in with X first.");
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sessions.set(req, session);
        wss.emit("connection", ws, req);
      });
    })
    .catch((err: unknown) => {
      logger.error({ err }, "WebSocket upgrade failed");
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n");
    });
});

const wssHandler = applyWSSHandler({
  wss,
  router: appRouter,
  createContext: ({ req }) => createTRPCContext({ session: sessions.get(req) ?? null, services: webServices() }),
  keepAlive: { enabled: true, pingMs: 30_000, pongWaitMs: 5_000 },
  onError({ error, path }) {
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.cause ?? error }, "tRPC subscription failed");
  },
});

server.listen(env.PORT, hostname, () => {
  logger.info({ url: process.env.NEXTAUTH_URL, ws: TRPC_WS_PATH, dev }, "web ready");
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "web stopping");
  wssHandler.broadcastReconnectNotification();
  wss.close();
  // server.close() would wait for keep-alive and HMR sockets: exit once ours are told.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
