"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useState } from "react";
import type { AppRouter } from "~/server/api/root";
import type { SyncPhase, SyncProgressEvent } from "~/server/sync/events";
import { useLiveSubscription, useTRPC } from "~/trpc/react";

/** The sync panel's data: the status, the live run, starting a sync, the freshness setting. */

export const ACTIVE: SyncPhase[] = ["queued", "fetching", "saving", "waiting_rate_limit", "retrying"];

export type SyncStatus = inferRouterOutputs<AppRouter>["sync"]["status"];
export type LastRun = NonNullable<SyncStatus["lastRun"]>;

/**
 * Re-render every second while a sync runs, so elapsed time moves between events, and every
 * 30 s otherwise, so "last synced" and "next automatic sync" stay true.
 */
export function useTicker(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), active ? 1_000 : 30_000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

/**
 * The sync status, and the run as it goes (the progress feed): refetches the library as a run
 * saves bookmarks and when it ends. `event` is the run to show (live, else the latest known);
 * `watched` the runs this page saw while active (only their outcome is worth announcing).
 */
export function useSyncRun() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.sync.status.queryOptions());
  const [live, setLive] = useState<SyncProgressEvent | null>(null);
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
      const lastLoad = Math.max(
        0,
        ...queryClient
          .getQueryCache()
          .findAll({ queryKey: listKey })
          .map((q) => q.state.dataUpdatedAt),
      );
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
  useLiveSubscription(
    useSubscription(trpc.sync.onProgress.subscriptionOptions(undefined, { onData })),
    () => void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
  );

  const start = useMutation(
    trpc.sync.start.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
    }),
  );

  const event = live ?? status.data?.latest ?? null;
  const running = event !== null && ACTIVE.includes(event.phase);
  return { status, event, running, watched, start };
}

/** Changes the user's freshness window; stays pending until the status shows the new choice. */
export function useSetFreshness() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation(
    trpc.sync.setFreshness.mutationOptions({
      // Stay pending until the status (and so the select) shows the new choice.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.sync.status.queryKey() }),
    }),
  );
}
