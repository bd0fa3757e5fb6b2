"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { MediaArchiveLine } from "./media-archive-line";
import { useSubscription } from "@trpc/tanstack-react-query";
import { signIn } from "next-auth/react";
import type { inferRouterOutputs } from "@trpc/server";
import { Fragment, useCallback, useEffect, useId, useRef, useState, type ReactNode } from "react";
import type { AppRouter } from "~/server/api/root";
import type { SyncPhase, SyncProgressEvent } from "~/server/sync/events";
import { FRESHNESS_CHOICES } from "~/lib/freshness";
import { useLiveSubscription, useTRPC } from "~/trpc/react";
import {
  formatClock,
  formatCount,
  formatCountOf,
  formatDateTime,
  formatDuration,
  formatEvery,
  formatRelative,
  formatSpan,
  formatUsd,
} from "./format";

const ACTIVE: SyncPhase[] = ["queued", "fetching", "saving", "waiting_rate_limit", "retrying"];

type SyncStatus = inferRouterOutputs<AppRouter>["sync"]["status"];
type LastRun = NonNullable<SyncStatus["lastRun"]>;

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
      return e.resumeAt ? `X had a hiccup; retrying at ${formatClock(e.resumeAt)}` : "X had a hiccup; retrying";
    case "done":
      return "Sync complete";
    case "failed":
      return "Sync failed";
  }
}

/** Words under the phase when the event brings none (e.g. a tab that joined during a wait). */
function phaseHint(e: SyncProgressEvent): string | null {
  if (e.phase === "waiting_rate_limit") return "X limits how often bookmarks can be read; the sync continues by itself.";
  if (e.phase === "retrying" && e.resumeAt) return "X is not answering properly; the sync continues by itself.";
  return null;
}

/**
 * Re-render every second while a sync runs, so elapsed time moves between events, and every
 * 30 s otherwise, so "last synced" and "next automatic sync" stay true.
 */
function useTicker(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), active ? 1_000 : 30_000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/** What went wrong starting a sync, in words for the person. */
function startErrorText(error: { message: string; data?: { code?: string; retryAfterSeconds?: number | null } | null }): {
  title: string | null;
  text: string;
} {
  if (error.data?.code === "TOO_MANY_REQUESTS") {
    const seconds = error.data.retryAfterSeconds;
    const when = seconds ? `in about ${formatSpan(seconds * 1000)}` : "in a minute or two";
    return {
      title: "Lots of syncing going on.",
      text: `X Bookmarker is busy with other people’s libraries right now, so your sync did not start. Please try again ${when}; your bookmarks are safe.`,
    };
  }
  return { title: null, text: error.message };
}

export function SyncPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.sync.status.queryOptions());
  const [live, setLive] = useState<SyncProgressEvent | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  // Runs this page watched while active: only their outcome is worth announcing.
  const [watched, setWatched] = useState<ReadonlySet<string>>(new Set());
  // Runs whose end this page has already refetched for: a resubscription (after a reconnect)
  // sends the latest run again, which is no reason to reload the library.
  const [ended] = useState(() => new Set<string>());

  const onData = useCallback(
    (event: SyncProgressEvent) => {
      setLive(event);
      if (ACTIVE.includes(event.phase)) setWatched((w) => (w.has(event.runId) ? w : new Set(w).add(event.runId)));
      const terminal = (event.phase === "done" || event.phase === "failed") && !ended.has(event.runId);
      if (terminal) ended.add(event.runId);
      // New bookmarks show up while the sync runs (at most every 2 s), and all of them at the end.
      const listKey = trpc.bookmarks.list.pathKey();
      const lastLoad = Math.max(0, ...queryClient.getQueryCache().findAll({ queryKey: listKey }).map((q) => q.state.dataUpdatedAt));
      // A wait (X's rate limit, a retry) may last minutes: show what has been saved so far.
      const pausing = event.phase === "waiting_rate_limit" || event.phase === "retrying";
      const showSaved = ACTIVE.includes(event.phase) && event.created > 0 && (pausing || Date.now() - lastLoad > 2_000);
      // The whole bookmarks router: the list and the result count (and tag counts at the end).
      if (terminal || showSaved) void queryClient.invalidateQueries({ queryKey: trpc.bookmarks.pathKey() });
      if (terminal) void queryClient.invalidateQueries({ queryKey: trpc.tags.pathKey() });
      // The run queued its posts' media (recorded as pending): the archive line shows them now.
      if (terminal) void queryClient.invalidateQueries({ queryKey: trpc.media.status.queryKey() });
      if (terminal || pausing || event.phase === "queued") void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() });
    },
    [queryClient, trpc, ended],
  );
  // Started again after a manual reconnect or the switch to SSE: the run may have moved on.
  useLiveSubscription(useSubscription(trpc.sync.onProgress.subscriptionOptions(undefined, { onData })), () =>
    void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
  );

  const start = useMutation(
    trpc.sync.start.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
    }),
  );
  const syncButton = useRef<HTMLButtonElement>(null);

  const event = live ?? status.data?.latest ?? null;
  const running = event !== null && ACTIVE.includes(event.phase);
  const now = useTicker(running);
  const needsReauth = status.data?.needsReauth ?? false;

  const begin = (mode: "incremental" | "full") => {
    setDismissed(null);
    start.mutate({ mode });
  };
  const startError = start.error ? startErrorText(start.error) : null;
  const busy = start.error?.data?.code === "TOO_MANY_REQUESTS";
  const removedOnX = status.data?.removedOnXCount ?? 0;

  return (
    <section aria-labelledby="sync-heading" className="my-6 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
      <div className="flex flex-wrap items-center gap-3">
        <div className="min-w-0 flex-1 basis-64">
          <h2 id="sync-heading" className="font-semibold">
            Your bookmarks
          </h2>
          <p className="text-sm text-zinc-500" data-testid="library-summary">
            {status.isPending
              ? "Loading…"
              : status.data
                ? `${formatCountOf(status.data.bookmarkCount, "bookmark")} · ${
                    status.data.lastSyncedAt ? `last synced ${formatRelative(status.data.lastSyncedAt, now)}` : "never synced"
                  }${removedOnX > 0 ? ` · ${formatCount(removedOnX)} removed on X` : ""}`
                : "Could not load the sync status."}
          </p>
          {status.data?.lastRun && <LastRunLine run={status.data.lastRun} now={now} />}
        </div>
        <button
          ref={syncButton}
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

      <MediaArchiveLine />

      {needsReauth && (
        <div role="alert" className="mt-4 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
          <span className="flex-1">Your X login has expired. Log in with X again to keep syncing; your library is safe.</span>
          <button type="button" onClick={() => void signIn("twitter", { callbackUrl: "/" })} className="rounded-full bg-amber-900 px-3 py-1 text-white dark:bg-amber-200 dark:text-amber-950">
            Log in with X again
          </button>
        </div>
      )}

      {startError && (
        <div
          role="alert"
          data-testid="sync-start-error"
          className={`mt-4 flex items-start gap-3 rounded-lg p-3 text-sm ${
            busy
              ? "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200"
              : "bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200"
          }`}
        >
          <span className="flex-1">
            {startError.title && <strong>{startError.title} </strong>}
            {startError.text}
          </span>
          <button
            type="button"
            aria-label="Dismiss"
            onClick={() => {
              start.reset();
              syncButton.current?.focus();
            }}
            className="px-1 opacity-70 hover:opacity-100"
          >
            ✕
          </button>
        </div>
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
            <button
              type="button"
              aria-label="Dismiss"
              onClick={() => {
                setDismissed(event.runId);
                syncButton.current?.focus();
              }}
              className="px-1 opacity-70 hover:opacity-100"
            >
              ✕
            </button>
          </div>
        </div>
      )}

      {status.data && <Freshness status={status.data} now={now} />}
    </section>
  );
}

function Progress({ event, now }: { event: SyncProgressEvent; now: number }) {
  const finished = event.phase === "done";
  const elapsed = finished || !event.startedAt ? event.elapsedMs : now - new Date(event.startedAt).getTime();
  const determinate = finished || (event.estimatedTotal !== null && event.phase !== "queued");
  const pct = Math.round(event.percent);
  const resumeInMs = event.resumeAt && (event.phase === "waiting_rate_limit" || event.phase === "retrying") ? new Date(event.resumeAt).getTime() - now : null;
  const message = event.message ?? phaseHint(event);
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

/** The last finished run in one line: when, who started it, what it cost, what it found. */
function LastRunLine({ run, now }: { run: LastRun; now: number }) {
  const when = run.finishedAt ?? run.queuedAt;
  const failed = run.status === "FAILED";
  const parts: { key: string; node: ReactNode }[] = [
    { key: "trigger", node: run.trigger === "SCHEDULED" ? "scheduled" : "manual" },
    { key: "calls", node: formatCountOf(run.apiCalls, "API call") },
    { key: "read", node: `${formatCountOf(run.postsRead, "post")} read` },
    {
      key: "cost",
      node: <span title="Estimated cost of this sync’s X API reads, in US dollars">{`est. cost ${formatUsd(run.estimatedCostUsd)}`}</span>,
    },
  ];
  if (run.rateLimitWaitMs > 0) parts.push({ key: "wait", node: `waited ${formatSpan(run.rateLimitWaitMs)} for X’s rate limit` });
  if (run.removed > 0) parts.push({ key: "removed", node: `${formatCount(run.removed)} removed on X` });
  if (run.partialSuccess) {
    parts.push({
      key: "partial",
      node: (
        <span className="text-amber-700 dark:text-amber-300" title="Some items on X could not be saved; the rest were">
          some items unavailable
        </span>
      ),
    });
  }
  return (
    <p className="mt-0.5 text-xs text-zinc-500" data-testid="last-run" data-status={run.status} data-trigger={run.trigger}>
      <span className={`whitespace-nowrap ${failed ? "text-red-700 dark:text-red-300" : ""}`}>
        Last {run.mode === "FULL" ? "full " : ""}sync {failed ? "failed " : ""}
        <time dateTime={when.toISOString()} title={formatDateTime(when)}>
          {formatRelative(when, now)}
        </time>
      </span>
      {/* Lines break only between items, after a dot. */}
      {parts.map((p) => (
        <Fragment key={p.key}>
          {"\u00a0· "}
          <span className="whitespace-nowrap">{p.node}</span>
        </Fragment>
      ))}
    </p>
  );
}

/** When the library is next synced by itself, and how often (the user's freshness window). */
function Freshness({ status, now }: { status: SyncStatus; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const setFreshness = useMutation(
    trpc.sync.setFreshness.mutationOptions({
      // Stay pending until the status (and so the select) shows the new choice.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
    }),
  );
  const minutes = setFreshness.isPending ? setFreshness.variables.minutes : status.freshnessMinutes;
  const choices: readonly number[] =
    minutes === null || (FRESHNESS_CHOICES as readonly number[]).includes(minutes) ? FRESHNESS_CHOICES : [...FRESHNESS_CHOICES, minutes].sort((a, b) => a - b);

  let next: string;
  if (status.freshnessMinutes === null) next = "Automatic sync off";
  else if (status.nextScheduledSyncAt) {
    const at = status.nextScheduledSyncAt;
    next = `Next automatic sync ${at.getTime() - now < 45_000 ? "any moment now" : formatRelative(at, now)}`;
  } else if (!status.lastSyncedAt) next = "Automatic sync starts after your first sync";
  else next = `Automatic sync ${formatEvery(status.freshnessMinutes)}`;

  const failure = setFreshness.error
    ? `Could not change automatic sync${setFreshness.error.data?.code === "BAD_REQUEST" ? "" : ` (${setFreshness.error.message})`}. Please try again.`
    : null;

  return (
    <div className="mt-4 flex flex-wrap items-center gap-x-3 gap-y-2 border-t border-zinc-100 pt-3 text-sm dark:border-zinc-800">
      <p className="min-w-0 flex-1 basis-48 text-zinc-600 dark:text-zinc-400" data-testid="next-sync">
        {status.nextScheduledSyncAt && status.freshnessMinutes !== null ? (
          <time dateTime={status.nextScheduledSyncAt.toISOString()} title={formatDateTime(status.nextScheduledSyncAt)}>
            {next}
          </time>
        ) : (
          next
        )}
      </p>
      <div className="flex items-center gap-2">
        <label htmlFor={id} className="text-zinc-600 dark:text-zinc-400">
          Keep fresh
        </label>
        <select
          id={id}
          data-testid="freshness-select"
          value={minutes === null ? "off" : String(minutes)}
          aria-busy={setFreshness.isPending}
          aria-describedby={failure ? `${id}-error` : undefined}
          onChange={(e) => setFreshness.mutate({ minutes: e.target.value === "off" ? null : Number(e.target.value) })}
          className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 hover:border-zinc-400 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:border-zinc-600"
        >
          {choices.map((m) => (
            <option key={m} value={String(m)}>
              {formatEvery(m)}
            </option>
          ))}
          <option value="off">off</option>
        </select>
      </div>
      {failure && (
        <p id={`${id}-error`} role="alert" className="w-full text-xs text-red-700 dark:text-red-300">
          {failure}
        </p>
      )}
    </div>
  );
}
