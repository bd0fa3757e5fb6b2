"use client";

import { useId } from "react";
import { FRESHNESS_CHOICES } from "~/lib/freshness";
import { formatDateTime, formatEvery, formatRelative } from "./format";
import { useSetFreshness, type SyncStatus } from "./use-sync-run";

/** When the library is next synced by itself, and how often (the user's freshness window). */
export function SyncFreshness({ status, now }: { status: SyncStatus; now: number }) {
  const id = useId();
  const setFreshness = useSetFreshness();
  const minutes = setFreshness.isPending ? setFreshness.variables.minutes : status.freshnessMinutes;
  const choices: readonly number[] =
    minutes === null || (FRESHNESS_CHOICES as readonly number[]).includes(minutes)
      ? FRESHNESS_CHOICES
      : [...FRESHNESS_CHOICES, minutes].sort((a, b) => a - b);

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
