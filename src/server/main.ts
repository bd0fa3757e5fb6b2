import { createServer } from "node:http";
import next from "next";
import { env } from "~/env";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { createLogger } from "./logger";
import { metricsText, webMetrics } from "./metrics";
import { webServices } from "./services";
import { attachTrpcWebSocket } from "./ws";

/** The web process: Next.js and the tRPC WebSocket server on one port. */
const logger = createLogger("web");
const dev = env.NODE_ENV !== "production";
const hostname = env.HOST;
// next-auth reads NEXTAUTH_URL itself; default it to where this server answers.
process.env.NEXTAUTH_URL = env.NEXTAUTH_URL ?? `http://${["0.0.0.0", "::"].includes(hostname) ? "127.0.0.1" : hostname}:${env.PORT}`;

const app = next({ dev, hostname, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();
webMetrics(); // start the default collectors now, not at the first scrape

// No compression here: Next's request handler already gzips answers over 1 KB (next.config
// `compress`), route handlers' tRPC JSON included.
const server = createServer((req, res) => {
  // Prometheus scrapes the web process here, before Next routing.
  if (req.method === "GET" && req.url?.split("?")[0] === "/metrics") {
    metricsText().then(
      ({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(body),
      (err: unknown) => {
        logger.error({ err }, "metrics failed");
        res.writeHead(500).end();
      },
    );
    return;
  }
  void handle(req, res);
});
const sockets = attachTrpcWebSocket(server, webServices, logger);

server.listen(env.PORT, hostname, () => {
  logger.info({ url: process.env.NEXTAUTH_URL, ws: TRPC_WS_PATH, dev }, "web ready");
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "web stopping");
  sockets.close();
  // server.close() would wait for keep-alive and HMR sockets: exit once clients are told.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
