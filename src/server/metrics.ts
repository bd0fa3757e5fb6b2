import { collectDefaultMetrics, Counter, Gauge, Histogram, register as defaultRegister, type Registry } from "prom-client";

/**
 * The web process's Prometheus metrics, served at GET /metrics by the custom server (main.ts).
 *
 * Everything is created on first use and kept on globalThis: Next bundles its own copy of this
 * module (and of prom-client) into the route handlers, and those must count into the same series
 * the custom server exposes. Creating lazily also keeps importers such as the worker, which only
 * needs `bumpLibraryVersion` from the library cache, from starting the web's collectors.
 *
 * Labels stay bounded: HTTP requests are labelled by route class (never the raw URL), tRPC calls
 * by procedure path (fixed by the router: an unknown path never reaches a procedure).
 */

export type CacheLayer = "memory" | "redis";
/** Where a library read was answered: a cache layer, load() after both missed, or load() with Redis down. */
export type CacheReadOutcome = CacheLayer | "load" | "bypass";

/** How `bookmarks.update` took an edit: as sent, merged with changes made since, or refused. */
export type EditMergeResult = "applied" | "auto_merged" | "conflict";

/** Coarse classes of HTTP paths, the `route` label of xb_http_request_duration_seconds. */
export const ROUTE_CLASSES = [
  "/api/trpc",
  "/api/export",
  "/api/auth",
  "/api/health",
  "/api/ready",
  "/api/other",
  "/_next",
  "/metrics",
  "page",
] as const;
export type RouteClass = (typeof ROUTE_CLASSES)[number];

/** The route class of a request URL (path or absolute form; the query is ignored). */
export function routeClass(url: string | undefined): RouteClass {
  let path = url ?? "/";
  if (!path.startsWith("/")) {
    try {
      path = new URL(path).pathname;
    } catch {
      return "page";
    }
  }
  const end = path.search(/[?#]/);
  if (end >= 0) path = path.slice(0, end);
  const under = (prefix: string) => path === prefix || path.startsWith(`${prefix}/`);
  if (under("/api/trpc")) return "/api/trpc";
  if (under("/api/export")) return "/api/export";
  if (under("/api/auth")) return "/api/auth";
  if (path === "/api/health") return "/api/health";
  if (path === "/api/ready") return "/api/ready";
  if (under("/api")) return "/api/other";
  if (under("/_next")) return "/_next";
  if (path === "/metrics") return "/metrics";
  return "page";
}

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** BullMQ states reported by xb_queue_jobs (always all of them, 0 included, for stable series). */
export const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "completed", "failed", "paused", "waiting-children"] as const;

/** What the queue-depth gauge needs of a BullMQ queue. */
export interface CountableQueue {
  readonly name: string;
  getJobCounts(...types: string[]): Promise<Record<string, number>>;
}

export interface WebMetrics {
  register: Registry;
  libraryCacheRead(outcome: CacheReadOutcome): void;
  /** A user's first library read after a cache warm: answered from the cache or not. */
  warmFirstRead(hit: boolean): void;
  /** One HTTP request answered (or aborted: status "aborted"). */
  httpRequest(method: string, route: RouteClass, status: number | "aborted", seconds: number): void;
  /** One tRPC procedure call (over HTTP or WebSocket). */
  trpcCall(path: string, type: string, ok: boolean, seconds: number): void;
  /** A WebSocket opened; call the returned function once when it closes. */
  webSocketOpened(): () => void;
  /** One bookmark edit's outcome (xb_edit_merges_total). */
  editMerge(result: EditMergeResult): void;
  /** One call refused by a per-user or per-IP limit (xb_rate_limited_total). */
  rateLimited(limit: string): void;
  /** The queues whose depth xb_queue_jobs reports, read at each scrape (replaces earlier ones). */
  watchQueues(queues: () => CountableQueue[]): void;
}

/** How long a scrape waits for Redis to count a queue's jobs. */
const QUEUE_COUNT_TIMEOUT_MS = 1_000;

function create(): WebMetrics {
  const register = defaultRegister;
  collectDefaultMetrics({ register, prefix: "xb_web_" });

  const requests = new Counter({
    name: "xb_library_cache_requests_total",
    help: "Library cache lookups by layer and result",
    labelNames: ["layer", "result"] as const,
    registers: [register],
  });
  let reads = 0;
  let hits = 0;
  new Gauge({
    name: "xb_library_cache_hit_ratio",
    help: "Library reads answered from the cache (memory or Redis) / all library reads, since start",
    registers: [register],
    collect() {
      this.set(reads === 0 ? 0 : hits / reads);
    },
  });

  const warmFirst = new Counter({
    name: "xb_library_warm_first_reads_total",
    help: "A user's first library read after a cache warm, by result (hit: answered from the cache)",
    labelNames: ["result"] as const,
    registers: [register],
  });
  for (const result of ["hit", "miss"] as const) warmFirst.inc({ result }, 0);
  let warmFirstReads = 0;
  let warmFirstHits = 0;
  new Gauge({
    name: "xb_library_warm_first_read_hit_ratio",
    help: "First reads after a warm answered from the cache / all first reads after a warm, since start",
    registers: [register],
    collect() {
      this.set(warmFirstReads === 0 ? 0 : warmFirstHits / warmFirstReads);
    },
  });

  const http = new Histogram({
    name: "xb_http_request_duration_seconds",
    help: "HTTP requests to the web process by method, route class and status, until the answer was sent",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [register],
  });
  const trpc = new Histogram({
    name: "xb_trpc_procedure_duration_seconds",
    help: "tRPC procedure calls (HTTP and WebSocket) by procedure path, type and success; a subscription's is its set-up",
    labelNames: ["path", "type", "ok"] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [register],
  });
  const sockets = new Gauge({
    name: "xb_ws_connections",
    help: "Open tRPC WebSocket connections",
    registers: [register],
  });
  sockets.set(0);

  const merges = new Counter({
    name: "xb_edit_merges_total",
    help: "Bookmark edits by outcome: applied as sent, auto-merged with changes made since its base version, or refused as a conflict",
    labelNames: ["result"] as const,
    registers: [register],
  });
  for (const result of ["applied", "auto_merged", "conflict"] as const) merges.inc({ result }, 0);

  const limited = new Counter({
    name: "xb_rate_limited_total",
    help: "Calls refused (429) by a per-user or per-IP limit, by limit (who: the admin console's Limits page)",
    labelNames: ["limit"] as const,
    registers: [register],
  });

  let queues: () => CountableQueue[] = () => [];
  new Gauge({
    name: "xb_queue_jobs",
    help: "BullMQ jobs by queue and state, read at scrape time (absent when Redis does not answer)",
    labelNames: ["queue", "state"] as const,
    registers: [register],
    async collect() {
      this.reset();
      await Promise.all(
        queues().map(async (q) => {
          let timer: ReturnType<typeof setTimeout> | undefined;
          const counts = await Promise.race([
            q.getJobCounts(...QUEUE_STATES),
            new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), QUEUE_COUNT_TIMEOUT_MS))),
          ])
            .catch(() => null)
            .finally(() => clearTimeout(timer));
          if (!counts) return;
          for (const state of QUEUE_STATES) this.set({ queue: q.name, state }, counts[state] ?? 0);
        }),
      );
    },
  });

  return {
    register,
    libraryCacheRead(outcome) {
      reads++;
      // A bypassed read (Redis unreachable) consulted neither layer: it only lowers the ratio.
      if (outcome === "bypass") return;
      if (outcome === "memory") {
        hits++;
        requests.inc({ layer: "memory", result: "hit" });
        return;
      }
      requests.inc({ layer: "memory", result: "miss" });
      if (outcome === "redis") hits++;
      requests.inc({ layer: "redis", result: outcome === "redis" ? "hit" : "miss" });
    },
    warmFirstRead(hit) {
      warmFirstReads++;
      if (hit) warmFirstHits++;
      warmFirst.inc({ result: hit ? "hit" : "miss" });
    },
    httpRequest(method, route, status, seconds) {
      const m = method.toUpperCase();
      http.observe({ method: METHODS.has(m) ? m : "other", route, status: String(status) }, seconds);
    },
    trpcCall(path, type, ok, seconds) {
      trpc.observe({ path, type, ok: ok ? "true" : "false" }, seconds);
    },
    webSocketOpened() {
      sockets.inc();
      let open = true;
      return () => {
        if (!open) return;
        open = false;
        sockets.dec();
      };
    },
    editMerge(result) {
      merges.inc({ result });
    },
    rateLimited(limit) {
      limited.inc({ limit });
    },
    watchQueues(source) {
      queues = source;
    },
  };
}

const g = globalThis as unknown as { xbWebMetrics?: WebMetrics };
export function webMetrics(): WebMetrics {
  g.xbWebMetrics ??= create();
  return g.xbWebMetrics;
}

/** The exposition text for GET /metrics. */
export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { register } = webMetrics();
  return { contentType: register.contentType, body: await register.metrics() };
}
