import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { readSystemStatus, type StatusDeps, type SystemStatus } from "./status";

/**
 * The web's end of the fallback chain, in front of Next (main.ts):
 *
 * - `GET /api/status` answers the current SystemStatus (the degraded banner polls it).
 * - While Postgres is down (two checks in a row), every other request (but /api/health and static assets) gets a
 *   clear 503 maintenance answer: a small page in words for a browser, JSON for API callers,
 *   with Retry-After. Never a blank page or a stack of failing requests.
 *
 * The status is refreshed in the background every `refreshMs` and on /api/status when older
 * than that, so requests never wait for a check.
 */

/** The maintenance answer's words, kept together for the i18n catalogue. */
export const MAINTENANCE_TEXT = {
  title: "X Bookmarker is under maintenance",
  body: "The library's database is not answering right now. Your bookmarks are safe: nothing is lost, and syncs pick up where they left off. This page tries again on its own every 30 seconds.",
  api: "The service is under maintenance (its database is not answering). Try again in a moment.",
};

const RETRY_AFTER_SECONDS = 30;

function maintenancePage(): string {
  const t = MAINTENANCE_TEXT;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_AFTER_SECONDS}"><title>${t.title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#18181b}@media(prefers-color-scheme:dark){body{background:#09090b;color:#e4e4e7}}</style>
</head><body><main><h1>${t.title}</h1><p>${t.body}</p></main></body></html>`;
}

/** Paths answered even in maintenance (liveness; the files the maintenance page could need). */
function passesInMaintenance(path: string): boolean {
  return path === "/api/health" || path === "/api/ready" || path === "/metrics" || path.startsWith("/_next/static/");
}

export interface StatusGate {
  /** Answers /api/status or the maintenance answer and returns true; false: pass the request on. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** The latest status (null before the first check). */
  current(): SystemStatus | null;
  /** Whether requests get the maintenance answer now (Postgres down in two checks in a row). */
  inMaintenance(): boolean;
  refresh(): Promise<SystemStatus>;
  close(): void;
}

export function createStatusGate(deps: StatusDeps & { refreshMs?: number; logger?: Logger }): StatusGate {
  const refreshMs = deps.refreshMs ?? 5_000;
  let status: SystemStatus | null = null;
  let checkedAt = 0;
  let inFlight: Promise<SystemStatus> | null = null;
  // Checks in a row that found Postgres down. One is not enough: the first query of a process
  // that has just started (connecting, loading the client) can miss the check's short timeout.
  let pgDownChecks = 0;
  const inMaintenance = () => pgDownChecks >= 2;

  const refresh = () => {
    inFlight ??= readSystemStatus(deps)
      .then((s) => {
        if (deps.logger && status && s.isolated.join() !== status.isolated.join())
          deps.logger.warn({ isolated: s.isolated, postgres: s.postgres, redis: s.redis, x: s.x }, "fallback chain changed");
        status = s;
        pgDownChecks = s.postgres === "down" ? pgDownChecks + 1 : 0;
        checkedAt = Date.now();
        return s;
      })
      .finally(() => (inFlight = null));
    return inFlight;
  };
  void refresh();
  const timer = setInterval(() => void refresh(), refreshMs);
  timer.unref();

  return {
    current: () => status,
    inMaintenance,
    refresh,
    close: () => clearInterval(timer),
    handle(req, res) {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (path === "/api/status" && (req.method === "GET" || req.method === "HEAD")) {
        const answer = Date.now() - checkedAt < refreshMs && status ? Promise.resolve(status) : refresh();
        void answer.then((s) => {
          res.writeHead(200, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
          res.end(req.method === "HEAD" ? undefined : JSON.stringify(s));
        });
        return true;
      }
      if (!inMaintenance() || passesInMaintenance(path)) return false;
      const wantsHtml = String(req.headers.accept ?? "").includes("text/html");
      const headers = { "cache-control": "no-store", "retry-after": String(RETRY_AFTER_SECONDS) };
      if (wantsHtml) {
        res.writeHead(503, { ...headers, "content-type": "text/html; charset=utf-8" }).end(maintenancePage());
      } else {
        res
          .writeHead(503, { ...headers, "content-type": "application/json; charset=utf-8" })
          .end(JSON.stringify({ error: { code: "MAINTENANCE", message: MAINTENANCE_TEXT.api } }));
      }
      return true;
    },
  };
}
