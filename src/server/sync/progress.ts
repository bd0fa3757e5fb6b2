import type { Redis } from "ioredis";
import type { SyncRun } from "~/generated/prisma/client";
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
  const etaMs =
    !finished && total && run.fetched > 0 ? Math.round((elapsedMs / run.fetched) * Math.max(0, total - run.fetched)) : null;
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
    resumeAt: extras.resumeAt?.toISOString() ?? null,
    at: new Date(now).toISOString(),
  };
}

/** The phase a stored run is in, for a client that joins mid-way. */
export function phaseOf(run: SyncRun): SyncPhase {
  switch (run.status) {
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

/**
 * Publishes progress on the user's Redis channel, at most one event per `minIntervalMs` per run
 * (pages can arrive faster than anyone can read); phase changes and final events always go out.
 */
export class ProgressPublisher {
  private readonly last = new Map<string, { at: number; phase: SyncPhase }>();

  constructor(
    private readonly redis: Redis,
    private readonly minIntervalMs = 250,
  ) {}

  async publish(event: SyncProgressEvent): Promise<boolean> {
    const prev = this.last.get(event.runId);
    const now = Date.now();
    const terminal = TERMINAL.includes(event.phase);
    if (prev && prev.phase === event.phase && !terminal && now - prev.at < this.minIntervalMs) return false;
    if (terminal) this.last.delete(event.runId);
    else this.last.set(event.runId, { at: now, phase: event.phase });
    await this.redis.publish(channels.syncProgress(event.userId), JSON.stringify(event));
    return true;
  }
}
