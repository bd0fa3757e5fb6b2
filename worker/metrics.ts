import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BreakerSnapshot } from "./x-breaker";

/** The worker's Prometheus metrics, served at GET /metrics on the worker's health port. */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "xb_worker_" });
  const breakerState = new Gauge({
    name: "xb_x_circuit_state",
    help: "Circuit breaker around X API calls: 0 closed, 1 half-open, 2 open",
    registers: [registry],
  });
  const breakerOpens = new Gauge({
    name: "xb_x_circuit_opens",
    help: "Times the X circuit breaker opened since start",
    registers: [registry],
  });
  const jobs = new Counter({
    name: "xb_sync_jobs_total",
    help: "Sync job executions by outcome (waiting: delayed for X's rate limit or the breaker; paused: shutdown)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: "xb_sync_job_duration_seconds",
    help: "Time a sync job execution held a worker slot",
    labelNames: ["outcome"] as const,
    buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
    registers: [registry],
  });
  const ingested = new Counter({
    name: "xb_bookmarks_ingested_total",
    help: "Bookmarks sync runs saved, by kind (created: new to the library, updated: already there), counted when a run ends",
    labelNames: ["kind"] as const,
    registers: [registry],
  });
  for (const kind of ["created", "updated"] as const) ingested.inc({ kind }, 0);
  const warmed = new Counter({
    name: "xb_library_warmed_keys_total",
    help: "Library cache entries a warm prepared (warmed) or found already cached (cached, skipped)",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  for (const result of ["warmed", "cached"] as const) warmed.inc({ result }, 0);
  breakerState.set(0);
  return {
    registry,
    breaker(s: BreakerSnapshot) {
      breakerState.set(s.state === "open" ? 2 : s.state === "half_open" ? 1 : 0);
      breakerOpens.set(s.opens);
    },
    jobEnded(outcome: string, durationMs: number) {
      jobs.inc({ outcome });
      duration.observe({ outcome }, durationMs / 1000);
    },
    /** A cache warm finished (after a change, or a scheduled one). */
    warm(counts: { warmed: number; cached: number }) {
      warmed.inc({ result: "warmed" }, counts.warmed);
      warmed.inc({ result: "cached" }, counts.cached);
    },
    /** A sync run ended (succeeded, or failed for good) having saved these bookmarks in all. */
    runEnded(counts: { created: number; updated: number }) {
      if (counts.created > 0) ingested.inc({ kind: "created" }, counts.created);
      if (counts.updated > 0) ingested.inc({ kind: "updated" }, counts.updated);
    },
  };
}
