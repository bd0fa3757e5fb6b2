"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { signIn } from "next-auth/react";
import { useCallback, useEffect, useState } from "react";
import type { SyncPhase, SyncProgressEvent } from "~/server/sync/events";
import { useTRPC } from "~/trpc/react";
import { formatClock, formatCount, formatDuration, formatRelative } from "./format";

const ACTIVE: SyncPhase[] = ["queued", "fetching", "saving", "waiting_rate_limit", "retrying"];

function phaseLabel(e: SyncProgressEvent): string {
  switch (e.phase) {
    case "queued":
      return "Waiting for a worker…";
    case "fetching":
      return e.mode === "full" ? "Fetching all bookmarks from X" : "Fetching new bookmarks from X";
    case "saving":
      return "Saving";
    case "waiting_rate_limit":
      return e.resumeAt ? `Waiting for X until ${formatClock(e.resumeAt)}` : "Waiting for X's rate limit";
    case "retrying":
      return "X had a hiccup; retrying";
    case "done":
      return "Sync complete";
    case "failed":
      return "Sync failed";
  }
}

/** Re-render every second while a sync runs, so elapsed time moves between events. */
function useTicker(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function SyncPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.sync.status.queryOptions());
  const [live, setLive] = useState<SyncProgressEvent | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  // Runs this page watched while active: only their outcome is worth announcing.
  const [watched, setWatched] = useState<ReadonlySet<string>>(new Set());

  const onData = useCallback(
    (event: SyncProgressEvent) => {
      setLive(event);
      if (ACTIVE.includes(event.phase)) setWatched((w) => (w.has(event.runId) ? w : new Set(w).add(event.runId)));
      const terminal = event.phase === "done" || event.phase === "failed";
      // New bookmarks show up while the sync runs (at most every 2 s), and all of them at the end.
      const listKey = trpc.bookmarks.list.pathKey();
      const lastLoad = Math.max(0, ...queryClient.getQueryCache().findAll({ queryKey: listKey }).map((q) => q.state.dataUpdatedAt));
      if (terminal || (event.created > 0 && Date.now() - lastLoad > 2_000)) {
        void queryClient.invalidateQueries({ queryKey: listKey });
      }
      if (terminal || event.phase === "queued") void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() });
    },
    [queryClient, trpc],
  );
  useSubscription(trpc.sync.onProgress.subscriptionOptions(undefined, { onData }));

  const start = useMutation(
    trpc.sync.start.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
    }),
  );

  const event = live ?? status.data?.latest ?? null;
  const running = event !== null && ACTIVE.includes(event.phase);
  const now = useTicker(running);
  const needsReauth = status.data?.needsReauth ?? false;

  const begin = (mode: "incremental" | "full") => {
    setDismissed(null);
    start.mutate({ mode });
  };

  return (
    <section aria-labelledby="sync-heading" className="my-6 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1">
          <h2 id="sync-heading" className="font-semibold">
            Your bookmarks
          </h2>
          <p className="text-sm text-zinc-500" data-testid="library-summary">
            {status.isPending
              ? "Loading…"
              : status.data
                ? `${formatCount(status.data.bookmarkCount)} bookmark${status.data.bookmarkCount === 1 ? "" : "s"} · ${
                    status.data.lastSyncedAt ? `last synced ${formatRelative(status.data.lastSyncedAt, now)}` : "never synced"
                  }`
                : "Could not load the sync status."}
          </p>
        </div>
        <button
          type="button"
          onClick={() => begin("incremental")}
          disabled={running || start.isPending || needsReauth}
          className="rounded-full bg-sky-600 px-5 py-2 font-semibold text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:opacity-50"
        >
          {running ? "Syncing…" : "Sync"}
        </button>
        <button
          type="button"
          onClick={() => begin("full")}
          disabled={running || start.isPending || needsReauth}
          title="Re-read all bookmarks X still serves (the latest 800)"
          className="rounded-full border border-zinc-300 px-4 py-2 text-sm hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
        >
          Full sync
        </button>
      </div>

      {needsReauth && (
        <div role="alert" className="mt-4 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <span className="flex-1">Your X login has expired. Log in with X again to keep syncing; your library is safe.</span>
          <button type="button" onClick={() => void signIn("twitter", { callbackUrl: "/" })} className="rounded-full bg-amber-900 px-3 py-1 text-white dark:bg-amber-200 dark:text-amber-950">
            Log in with X again
          </button>
        </div>
      )}

      {start.error && (
        <p role="alert" className="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {start.error.message}
        </p>
      )}

      {event && running && <Progress event={event} now={now} />}

      {event && !running && event.runId !== dismissed && watched.has(event.runId) && (
        <div data-testid="sync-summary" data-phase={event.phase}>
          {event.phase === "done" && <Progress event={event} now={now} />}
          <div
            role={event.phase === "failed" ? "alert" : "status"}
            className={`mt-3 flex items-start gap-3 rounded-lg p-3 text-sm ${
              event.phase === "failed"
                ? "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"
                : "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
            }`}
          >
            <span className="flex-1">
              <strong>{phaseLabel(event)}.</strong> {event.message}
              {event.phase === "done" && ` Took ${formatDuration(event.elapsedMs)}.`}
            </span>
            <button type="button" aria-label="Dismiss" onClick={() => setDismissed(event.runId)} className="px-1 opacity-70 hover:opacity-100">
              ✕
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

function Progress({ event, now }: { event: SyncProgressEvent; now: number }) {
  const finished = event.phase === "done";
  const elapsed = finished || !event.startedAt ? event.elapsedMs : now - new Date(event.startedAt).getTime();
  const determinate = finished || (event.estimatedTotal !== null && event.phase !== "queued");
  const pct = Math.round(event.percent);
  return (
    <div className="mt-4" data-testid={finished ? undefined : "sync-progress"} data-phase={event.phase}>
      <div className="mb-1 flex items-center justify-between text-sm">
        <span aria-live="polite" className="font-medium">
          {phaseLabel(event)}
        </span>
        {determinate && <span className="tabular-nums text-zinc-500">{pct}%</span>}
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
        {event.etaMs !== null && event.phase === "fetching" && (
          <div>
            <dt className="inline">About </dt>
            <dd className="inline">{formatDuration(event.etaMs)} left</dd>
          </div>
        )}
      </dl>
      {event.message && !finished && <p className="mt-2 text-xs text-zinc-500">{event.message}</p>}
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
