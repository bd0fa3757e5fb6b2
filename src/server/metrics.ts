import { collectDefaultMetrics, Counter, Gauge, register as defaultRegister, type Registry } from "prom-client";

/**
 * The web process's Prometheus metrics, served at GET /metrics by the custom server (main.ts).
 *
 * Everything is created on first use and kept on globalThis: Next bundles its own copy of this
 * module (and of prom-client) into the route handlers, and those must count into the same series
 * the custom server exposes. Creating lazily also keeps importers such as the worker, which only
 * needs `bumpLibraryVersion` from the library cache, from starting the web's collectors.
 */

export type CacheLayer = "memory" | "redis";
/** Where a library read was answered: a cache layer, load() after both missed, or load() with Redis down. */
export type CacheReadOutcome = CacheLayer | "load" | "bypass";

export interface WebMetrics {
  register: Registry;
  libraryCacheRead(outcome: CacheReadOutcome): void;
}

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
