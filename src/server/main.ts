import { createServer } from "node:http";
import next from "next";
import { env, refuseBuildPhase } from "~/env";
import { TRPC_WS_PATH } from "~/trpc/ws-path";
import { db } from "./db";
import { createStatusGate } from "./fallback/gate";
import { createProbeHandler, listenProbes } from "./health";
import { createCompression } from "./http/compression";
import { securityHeaders } from "./http/security-headers";
import { observeHttpRequest } from "./http-observe";
import { CLIENT_IP_HEADER, clientIpOf } from "./limits/client-ip";
import { createLogger, withLogContext } from "./logger";
import { metricsText, webMetrics } from "./metrics";
import { createRedis } from "./redis";
import { webServices } from "./services";
import { attachTrpcWebSocket } from "./ws";

/** The web process: Next.js and the tRPC WebSocket server on one port. */
refuseBuildPhase();
const logger = createLogger("web");
const dev = env.NODE_ENV !== "production";
const hostname = env.HOST;
// next-auth reads NEXTAUTH_URL itself; default it to where this server answers.
process.env.NEXTAUTH_URL = env.NEXTAUTH_URL ?? `http://${["0.0.0.0", "::"].includes(hostname) ? "127.0.0.1" : hostname}:${env.PORT}`;

const app = next({ dev, hostname, port: env.PORT });
await app.prepare();
const handle = app.getRequestHandler();
webMetrics(); // start the default collectors now, not at the first scrape
// Queue depth (xb_queue_jobs) is read from Redis at each scrape.
webMetrics().watchQueues(() => [webServices().syncQueue, webServices().importQueue, webServices().maintenanceQueue]);

// /api/health, /api/ready and Prometheus's /metrics are answered here, before Next routing.
// Readiness PINGs Redis on a connection of its own that fails at once while Redis is away.
const readyRedis = createRedis("producer");
readyRedis.on("error", () => undefined); // reported by /api/ready, not as unhandled errors
const probeOptions = { ready: { db, redis: readyRedis }, metrics: metricsText, logger };
// The fallback chain (README → "When a part fails"): /api/status for the degraded banner, and a
// maintenance answer instead of failing pages while Postgres is down.
const gate = createStatusGate({ db, redis: readyRedis, prefix: env.BULLMQ_PREFIX, logger });
// With METRICS_PORT, /metrics and /api/ready are answered only there (keep that port internal).
const probes = createProbeHandler({ ...probeOptions, servedInternally: env.METRICS_PORT !== undefined });
if (env.METRICS_PORT !== undefined) {
  await listenProbes(createProbeHandler(probeOptions), env.METRICS_PORT, hostname);
  logger.info({ port: env.METRICS_PORT }, "metrics and readiness on the internal port");
}

// Compression happens here, once, for everything Next answers (tRPC and exports included):
// brotli or gzip above COMPRESS_THRESHOLD_BYTES, never for SSE. Next's own is off (next.config).
const compress = createCompression(env.COMPRESS_THRESHOLD_BYTES);
const headers = securityHeaders(process.env.NEXTAUTH_URL);
const server = createServer((req, res) => {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  // Every request: an x-request-id, a latency observation and one log line; lines logged while
  // serving it (route handlers, procedures) carry its reqId and, once known, the userId.
  const ctx = observeHttpRequest(req, res, logger);
  withLogContext(ctx, () => {
    if (probes(req, res)) return;
    if (gate.handle(req, res)) return;
    // For the per-IP limits in route handlers (which cannot see the socket); never the client's own.
    req.headers[CLIENT_IP_HEADER] = clientIpOf(req, env.TRUST_PROXY_HOPS);
    compress(req, res, () => undefined);
    void handle(req, res);
  });
});
const sockets = attachTrpcWebSocket(server, webServices, { logger, dev });

server.listen(env.PORT, hostname, () => {
  logger.info({ url: process.env.NEXTAUTH_URL, ws: TRPC_WS_PATH, dev }, "web ready");
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "web stopping");
  sockets.close();
  gate.close();
  readyRedis.disconnect();
  // server.close() would wait for keep-alive and HMR sockets: exit once clients are told.
  setTimeout(() => process.exit(0), 200).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
