import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { requestIdFrom, type LogContext } from "./logger";
import { routeClass, webMetrics, type RouteClass } from "./metrics";

/** Route classes logged at debug level: asset and probe traffic that would drown the rest. */
const QUIET: ReadonlySet<RouteClass> = new Set(["/_next", "/metrics", "/api/health", "/api/ready"]);

/**
 * Starts observing one HTTP request: gives it a request id (an incoming `x-request-id` if sane,
 * else a new one), sent back as the `x-request-id` response header and passed on to Next in the
 * request headers; when the response is done (or the client went away), records its latency in
 * xb_http_request_duration_seconds and writes one log line. Returns the request's log context,
 * for `withLogContext` (procedures add the user id to it).
 */
export function observeHttpRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): LogContext {
  const started = process.hrtime.bigint();
  const reqId = requestIdFrom(req.headers["x-request-id"]);
  req.headers["x-request-id"] = reqId;
  res.setHeader("x-request-id", reqId);
  const ctx: LogContext = { reqId };
  const route = routeClass(req.url);
  const method = req.method ?? "GET";

  res.once("close", () => {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const status = res.writableFinished ? res.statusCode : "aborted";
    webMetrics().httpRequest(method, route, status, seconds);
    const line = {
      reqId,
      method,
      route,
      // The path without its query (which may carry an OAuth code); long paths cut short.
      path: (req.url ?? "/").split("?")[0]!.slice(0, 200),
      status,
      durationMs: Math.round(seconds * 1e5) / 100,
      ...(ctx.userId && { userId: ctx.userId }),
    };
    const failed = typeof status === "number" && status >= 500;
    // A failing readiness probe is worth a warning, not an error line every few seconds.
    if (QUIET.has(route)) logger[failed ? "warn" : "debug"](line, "request");
    else logger[failed ? "error" : "info"](line, "request");
  });
  return ctx;
}
