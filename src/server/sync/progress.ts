import type { Redis } from "ioredis";
import type { SyncRun } from "~/generated/prisma/client";
import { isOpenStatus } from "~/shared/sync";
import { channels, type SyncPhase, type SyncProgressEvent } from "./events";

/** X serves only the most recent 800 bookmarks; a full sync can never fetch more. */
export const X_BOOKMARK_CAP = 800;

const TERMINAL: SyncPhase[] = ["done", "failed"];

export interface ProgressExtras {
  message?: string | null;
  resumeAt?: Date | null;
  /** Whether X said there is another page (affects the estimate). */
  hasNext?: boolean;
  pageSize?: number;
}

/**
 * The event the UI renders, from the run's stored counts. X gives no total, so a full sync
 * estimates from the library's size (or X's 800 cap for a first sync); an incremental sync has
 * no estimate until it ends.
 */
export function progressEvent(run: SyncRun, phase: SyncPhase, extras: ProgressExtras = {}): SyncProgressEvent {
  const now = Date.now();
  const finished = phase === "done";
  let total: number | null = null;
  if (finished) total = run.fetched;
  else if (run.mode === "FULL") {
    const next = extras.hasNext === false ? 0 : (extras.pageSize ?? 0);
    total = Math.max(run.estimatedTotal ?? X_BOOKMARK_CAP, run.fetched + next);
  }
  const elapsedMs = run.startedAt ? (run.finishedAt ?? new Date(now)).getTime() - run.startedAt.getTime() : 0;
  const percent = finished ? 100 : total ? Math.min(99, (run.fetched / total) * 100) : 0;
  const etaMs = !finished && total && run.fetched > 0 ? Math.round((elapsedMs / run.fetched) * Math.max(0, total - run.fetched)) : null;
  return {
    runId: run.id,
    userId: run.userId,
    mode: run.mode === "FULL" ? "full" : "incremental",
    phase,
    pages: run.pages,
    fetched: run.fetched,
    created: run.created,
    updated: run.updated,
    skipped: run.skipped,
    estimatedTotal: total,
    percent: Math.round(percent * 10) / 10,
    startedAt: run.startedAt?.toISOString() ?? null,
    elapsedMs: Math.max(0, elapsedMs),
    etaMs,
    message: extras.message ?? (phase === "failed" ? run.error : null),
    resumeAt: (extras.resumeAt ?? (waiting(run, now) ? run.waitingUntil : null))?.toISOString() ?? null,
    at: new Date(now).toISOString(),
  };
}

function waiting(run: SyncRun, now: number): boolean {
  return isWaiting(run.status, run.waitingUntil, now);
}

type JobStatus = SyncRun["status"] | "PREVIEW";

function isWaiting(status: JobStatus, until: Date | null, now: number): boolean {
  return isOpenStatus(status) && until !== null && until.getTime() > now;
}

/**
 * The phase a stored job is in (a sync run, an import), for a client that joins mid-way: its
 * status, or the wait it is in (`kind` as the job stored it: rate_limit, or anything else for a
 * retry after X failed).
 */
export function jobPhase(status: JobStatus, wait: { until: Date | null; kind: string | null }, now = Date.now()): SyncPhase {
  if (isWaiting(status, wait.until, now)) return wait.kind === "rate_limit" ? "waiting_rate_limit" : "retrying";
  switch (status) {
    case "PREVIEW":
    case "QUEUED":
      return "queued";
    case "RUNNING":
      return "fetching";
    case "SUCCEEDED":
      return "done";
    case "FAILED":
      return "failed";
  }
}

/** The phase a stored run is in, for a client that joins mid-way. */
export function phaseOf(run: SyncRun): SyncPhase {
  return jobPhase(run.status, { until: run.waitingUntil, kind: run.waitKind });
}

/**
 * Publishes progress on the user's Redis channel, at most one event per `minIntervalMs` per run
 * (4 a second by default: pages can arrive faster than anyone can read). An event that comes too
 * soon is held and replaced by any newer one, then sent when the interval is up, so the latest
 * state (a phase change, the final event) always goes out and nothing arrives out of order.
 */
export class ProgressPublisher {
  private readonly runs = new Map<
    string,
    { at: number; held: SyncProgressEvent | null; timer: ReturnType<typeof setTimeout> | null; waiters: (() => void)[] }
  >();

  constructor(
    private readonly redis: Redis,
    private readonly minIntervalMs = 250,
  ) {}

  /** Resolves once the event (or a newer one for the same run) has been published. */
  async publish(event: SyncProgressEvent): Promise<void> {
    let run = this.runs.get(event.runId);
    if (!run) this.runs.set(event.runId, (run = { at: 0, held: null, timer: null, waiters: [] }));
    const wait = run.at + this.minIntervalMs - Date.now();
    if (wait <= 0 && !run.timer) {
      await this.send(event.runId, event);
      return;
    }
    run.held = event;
    const r = run;
    const sent = new Promise<void>((resolve) => r.waiters.push(resolve));
    r.timer ??= setTimeout(
      () => {
        r.timer = null;
        const held = r.held;
        const waiters = r.waiters.splice(0);
        r.held = null;
        void (held ? this.send(event.runId, held) : Promise.resolve()).finally(() => waiters.forEach((w) => w()));
      },
      Math.max(0, wait),
    );
    return sent;
  }

  private async send(runId: string, event: SyncProgressEvent): Promise<void> {
    const run = this.runs.get(runId);
    if (run) run.at = Date.now();
    if (TERMINAL.includes(event.phase) && run && !run.timer) this.runs.delete(runId);
    await this.redis.publish(channels.syncProgress(event.userId), JSON.stringify(event)).catch(() => 0);
  }
}
