import type { IncomingMessage, ServerResponse } from "node:http";
import compression from "compression";

/**
 * Answer compression for the web process (the custom server, main.ts), the one place answers are
 * compressed: Next's own (gzip only) is off in next.config.mjs, so nothing is compressed twice.
 *
 * Negotiated from Accept-Encoding: brotli first (quality 4: most of its ratio at a gzip-like
 * cost), then gzip. Answers below `threshold` bytes stay as they are; streamed answers (exports,
 * pages) are compressed as they stream. Every compressible answer says `Vary: Accept-Encoding`.
 * Server-sent events are never compressed: a compressor holds events back until its buffer fills,
 * which would stall live updates and the keep-alive pings.
 */
export function createCompression(threshold: number): (req: IncomingMessage, res: ServerResponse, next: () => void) => void {
  const middleware = compression({
    threshold,
    filter(req, res) {
      const type = String(res.getHeader("Content-Type") ?? "");
      if (type.startsWith("text/event-stream")) return false;
      // tRPC's SSE fallback asks for event-stream; its headers may not be set yet when the filter runs.
      if (String(req.headers.accept ?? "").includes("text/event-stream")) return false;
      return compression.filter(req, res);
    },
  });
  return (req, res, next) => middleware(req as Parameters<typeof middleware>[0], res as Parameters<typeof middleware>[1], next);
}
