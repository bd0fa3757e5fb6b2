"use client";

import { signIn } from "next-auth/react";
import { useRef, useState } from "react";
import { formatCount, formatCountOf, formatDuration, formatRelative } from "./format";
import { LastRunLine } from "./last-run-line";
import { MediaArchiveLine } from "./media-archive-line";
import { SyncFreshness } from "./sync-freshness";
import { Progress } from "./sync-progress";
import { phaseLabel, startErrorText } from "./sync-words";
import { useSyncRun, useTicker } from "./use-sync-run";

export function SyncPanel() {
  const { status, event, running, watched, start } = useSyncRun();
  const [dismissed, setDismissed] = useState<string | null>(null);
  const syncButton = useRef<HTMLButtonElement>(null);

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
    <section
      aria-labelledby="sync-heading"
      className="my-6 rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
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
        <div
          role="alert"
          className="mt-4 flex flex-wrap items-center gap-3 rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
        >
          <span className="flex-1">Your X login has expired. Log in with X again to keep syncing; your library is safe.</span>
          <button
            type="button"
            onClick={() => void signIn("twitter", { callbackUrl: "/" })}
            className="rounded-full bg-amber-900 px-3 py-1 text-white dark:bg-amber-200 dark:text-amber-950"
          >
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

      {status.data && <SyncFreshness status={status.data} now={now} />}
    </section>
  );
}
