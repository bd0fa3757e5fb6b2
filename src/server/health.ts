import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { maskSecretsInText } from "./logger";

/**
 * Liveness and readiness, answered the same way by the web process (main.ts) and the worker
 * (worker/main.ts):
 *
 * - `GET /api/health`: the process is alive and serving; checks nothing else.
 * - `GET /api/ready`: Postgres answers `SELECT 1` and Redis answers `PING`, each within ~1 s.
 *   200 `{ status: "ready", checks: { postgres: "ok", redis: "ok" } }`, else 503
 *   `{ status: "not_ready", checks: { ..., redis: "unreachable: connect ECONNREFUSED ..." } }`.
 *   Reasons are short and never carry credentials (URLs are masked).
 */

/** What the Postgres check needs: a Prisma client (anything with `$queryRaw`). */
export interface ReadyDb {
  $queryRaw<T = unknown>(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<T>;
}

export interface ReadinessDeps {
  db: ReadyDb;
  /**
   * A Redis connection for the PING. Best a dedicated one with the offline queue disabled
   * (`createRedis("producer")`): then a PING fails at once while Redis is away instead of waiting.
   */
  redis: Redis;
  /** Per check (default 1000 ms). */
  timeoutMs?: number;
}

export type CheckResult = "ok" | `unreachable: ${string}` | `timeout: ${string}`;

export interface ReadyReport {
  status: "ready" | "not_ready";
  checks: { postgres: CheckResult; redis: CheckResult };
}

const DEFAULT_TIMEOUT_MS = 1_000;
const MAX_REASON = 160;

/** A short, credential-free reason from an error: its first line, URLs masked, cut at 160 characters. */
export function reasonOf(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; meta?: { message?: unknown; code?: unknown } } | null;
  // A Prisma raw-query error (P2010) carries the driver's own words in `meta`.
  if (typeof e?.meta?.message === "string" && e.meta.message.trim()) {
    const code = typeof e.meta.code === "string" && e.meta.code !== "N/A" ? e.meta.code : undefined;
    return reasonOf({ message: e.meta.message, code });
  }
  let text = typeof e?.message === "string" && e.message.trim() ? e.message : String(err);
  // Prisma wraps driver errors in several lines of context; the last non-empty line is the cause.
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  text = lines.length > 1 ? lines[lines.length - 1]! : (lines[0] ?? "error");
  if (typeof e?.code === "string" && !text.includes(e.code)) text = `${e.code}: ${text}`;
  text = maskSecretsInText(text);
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

async function check(run: () => PromiseLike<unknown>, timeoutMs: number, lastError?: () => unknown): Promise<CheckResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), timeoutMs)));
  try {
    const answer = await Promise.race([Promise.resolve().then(run), timeout]);
    if (answer !== "timeout") return "ok";
    const last = lastError?.();
    return last ? `unreachable: ${reasonOf(last)}` : `timeout: no answer within ${timeoutMs} ms`;
  } catch (err) {
    // A client that refuses commands while disconnected says so in words that do not help
    // ("Stream isn't writeable"): the connection's own last error says why.
    return `unreachable: ${reasonOf(lastError?.() ?? err)}`;
  } finally {
    clearTimeout(timer);
  }
}

export function checkPostgres(db: ReadyDb, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CheckResult> {
  return check(() => db.$queryRaw`SELECT 1`, timeoutMs);
}

// The latest connection error per Redis client, kept while it is not connected.
const redisErrors = new WeakMap<Redis, { err: unknown }>();
function trackRedisErrors(redis: Redis): void {
  if (redisErrors.has(redis)) return;
  const slot: { err: unknown } = { err: undefined };
  redisErrors.set(redis, slot);
  redis.on("error", (err: unknown) => (slot.err = err));
  redis.on("ready", () => (slot.err = undefined));
}

/** Resolves when the client is connected; rejects with the next connection error; gives up after `ms`. */
function connected(redis: Redis, ms: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      redis.off("error", onError);
    };
    const onReady = () => {
      done();
      resolve();
    };
    const onError = (err: unknown) => {
      done();
      reject(err instanceof Error ? err : new Error(String(err)));
    };
    const timer = setTimeout(done, ms); // check() reports the timeout
    redis.on("ready", onReady);
    redis.on("error", onError);
  });
}

export function checkRedis(redis: Redis, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<CheckResult> {
  trackRedisErrors(redis);
  const lastError = () => (redis.status === "ready" ? undefined : redisErrors.get(redis)?.err);
  // Not connected (yet, or any more): wait for the connection or its next error rather than
  // sending a PING the client would refuse or queue.
  return check(
    async () => {
      await connected(redis, timeoutMs);
      await redis.ping();
    },
    timeoutMs,
    lastError,
  );
}

/** Runs both checks at once. */
export async function readiness(deps: ReadinessDeps): Promise<ReadyReport> {
  const [postgres, redis] = await Promise.all([checkPostgres(deps.db, deps.timeoutMs), checkRedis(deps.redis, deps.timeoutMs)]);
  return { status: postgres === "ok" && redis === "ok" ? "ready" : "not_ready", checks: { postgres, redis } };
}

export interface ProbeOptions {
  /** Dependencies for /api/ready. */
  ready: ReadinessDeps;
  /** Also answer GET /metrics with this exposition. */
  metrics?: () => Promise<{ contentType: string; body: string }>;
  logger?: Logger;
  /**
   * /metrics and /api/ready are served on an internal port (METRICS_PORT): answer 404 for them
   * here. /api/health (alive, nothing more) stays.
   */
  servedInternally?: boolean;
}

const INTERNAL_PATHS = new Set(["/api/ready", "/metrics"]);

function json(res: ServerResponse, status: number, body: unknown, head: boolean) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(head ? undefined : text);
}

/**
 * A request handler for /api/health, /api/ready (and /metrics if given): answers and returns
 * true for those paths (GET or HEAD), returns false for anything else.
 */
export function createProbeHandler(o: ProbeOptions): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const head = req.method === "HEAD";
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    if (o.servedInternally && INTERNAL_PATHS.has(path)) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(head ? undefined : "Not found.");
      return true;
    }
    switch (path) {
      case "/api/health":
        json(res, 200, { status: "ok", uptimeSeconds: Math.round(process.uptime()) }, head);
        return true;
      case "/api/ready":
        readiness(o.ready).then(
          (report) => json(res, report.status === "ready" ? 200 : 503, report, head),
          (err: unknown) => {
            o.logger?.error({ err }, "readiness check failed");
            json(res, 503, { status: "not_ready", error: reasonOf(err) }, head);
          },
        );
        return true;
      case "/metrics":
        if (!o.metrics) return false;
        o.metrics().then(
          ({ contentType, body }) => res.writeHead(200, { "content-type": contentType }).end(head ? undefined : body),
          (err: unknown) => {
            o.logger?.error({ err }, "metrics failed");
            res.writeHead(500).end();
          },
        );
        return true;
      default:
        return false;
    }
  };
}

/**
 * The probes on a port of their own (METRICS_PORT), for Prometheus and the orchestrator only:
 * everything else there is 404. Resolves once listening.
 */
export async function listenProbes(
  probes: (req: IncomingMessage, res: ServerResponse) => boolean,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (!probes(req, res)) res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found.");
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  return server;
}
