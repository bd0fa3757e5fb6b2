import type { SyncProgressEvent } from "~/server/sync/events";
import { formatCount, formatDuration } from "./format";
import { phaseHint, phaseLabel } from "./sync-words";

/** A running (or just finished) sync's progress bar and figures. */
export function Progress({ event, now }: { event: SyncProgressEvent; now: number }) {
  const finished = event.phase === "done";
  const elapsed = finished || !event.startedAt ? event.elapsedMs : now - new Date(event.startedAt).getTime();
  const determinate = finished || (event.estimatedTotal !== null && event.phase !== "queued");
  const pct = Math.round(event.percent);
  const resumeInMs =
    event.resumeAt && (event.phase === "waiting_rate_limit" || event.phase === "retrying")
      ? new Date(event.resumeAt).getTime() - now
      : null;
  const message = event.message ?? phaseHint(event);
  return (
    <div className="mt-4" data-testid={finished ? undefined : "sync-progress"} data-phase={event.phase}>
      <div className="mb-1 flex items-center justify-between text-sm">
        <span aria-live="polite" className="font-medium">
          {phaseLabel(event)}
        </span>
        {determinate && <span className="text-zinc-500 tabular-nums">{pct}%</span>}
      </div>
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={determinate ? pct : undefined}
        aria-valuetext={determinate ? `${pct}%` : "in progress"}
        className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={`h-full rounded-full bg-sky-500 transition-[width] duration-300 ${determinate ? "" : "w-1/3 animate-pulse"}`}
          style={determinate ? { width: `${Math.max(2, event.percent)}%` } : undefined}
        />
      </div>
      <dl className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-500 tabular-nums">
        <Stat label="Pages" value={event.pages} />
        <Stat label="Fetched" value={event.fetched} />
        <Stat label="New" value={event.created} />
        <Stat label="Updated" value={event.updated} />
        {event.skipped > 0 && <Stat label="Unavailable" value={event.skipped} />}
        <div>
          <dt className="inline">Elapsed </dt>
          <dd className="inline">{formatDuration(elapsed)}</dd>
        </div>
        {resumeInMs !== null && resumeInMs > 0 && (
          <div>
            <dt className="inline">Resumes in </dt>
            <dd className="inline">{formatDuration(resumeInMs)}</dd>
          </div>
        )}
        {event.etaMs !== null && event.phase === "fetching" && (
          <div>
            <dt className="inline">About </dt>
            <dd className="inline">{formatDuration(event.etaMs)} left</dd>
          </div>
        )}
      </dl>
      {message && !finished && <p className="mt-2 text-xs text-zinc-500">{message}</p>}
    </div>
  );
}

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt className="inline">{label} </dt>
      <dd className="inline font-medium text-zinc-700 dark:text-zinc-300">{formatCount(value)}</dd>
    </div>
  );
}
