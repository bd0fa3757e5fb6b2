"use client";

import { useQueryClient, type QueryClient, type QueryKey } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { useLiveSubscription, useTRPC } from "~/trpc/react";
import type { QueueEventBatch } from "./admin-lib";

/**
 * The console's live updates: one subscription to the queues' events for every admin page (it
 * lives in the admin layout, so it survives moving between pages). Nothing polls: each batch of
 * events refetches the open views it concerns; the first batch after (re)connecting, and any batch
 * that had to drop events, refetches every admin view, as something may have been missed.
 */

export type LiveStatus = "connecting" | "live" | "reconnecting" | "error";

interface LiveState {
  status: LiveStatus;
  error: string | null;
  /** When the last batch arrived (ms). */
  lastBatchAt: number | null;
  /** How many events arrived since the page opened (for the indicator's tooltip). */
  events: number;
  retry: () => void;
}

const LiveContext = createContext<LiveState>({ status: "connecting", error: null, lastBatchAt: null, events: 0, retry: () => undefined });
export const useAdminLive = () => useContext(LiveContext);

/**
 * Refetches without piling up: while one refetch of a view runs, later batches only ask for one
 * more once it is done (a busy queue sends a batch every 250 ms; a slow view would otherwise be
 * cancelled and restarted forever, or miss the last change).
 */
function useCoalescedRefetch(queryClient: QueryClient) {
  const running = useRef(new Map<string, { again: boolean }>());
  return useCallback(
    (name: string, queryKey: QueryKey, predicate?: (key: QueryKey) => boolean) => {
      const current = running.current.get(name);
      if (current) {
        current.again = true;
        return;
      }
      const state = { again: false };
      running.current.set(name, state);
      void (async () => {
        try {
          do {
            state.again = false;
            await queryClient
              .invalidateQueries({ queryKey, predicate: predicate && ((q) => predicate(q.queryKey)) }, { cancelRefetch: false })
              .catch(() => undefined);
          } while (state.again);
        } finally {
          running.current.delete(name);
        }
      })();
    },
    [queryClient],
  );
}

/** The `input` of a tRPC query key (`[path, { input, type }]`). */
function inputOf(key: QueryKey): Record<string, unknown> | undefined {
  const meta = key[1] as { input?: unknown } | undefined;
  return meta && typeof meta.input === "object" && meta.input !== null ? (meta.input as Record<string, unknown>) : undefined;
}

export function AdminLiveProvider({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refetch = useCoalescedRefetch(queryClient);
  const [ready, setReady] = useState(false);
  const [lastBatchAt, setLastBatchAt] = useState<number | null>(null);
  const [events, setEvents] = useState(0);
  const [everLive, setEverLive] = useState(false);

  const onData = useCallback(
    (batch: QueueEventBatch) => {
      setReady(true);
      setEverLive(true);
      setLastBatchAt(Date.now());
      setEvents((n) => n + batch.events.length);
      const admin = trpc.admin;
      if (batch.events.length === 0 || batch.dropped > 0) {
        // Live (again), or events were left out: everything may have changed.
        refetch("all", admin.pathKey());
        return;
      }
      const queues = new Set(batch.events.map((e) => e.queue));
      const queueWide = new Set<string>(batch.events.filter((e) => e.jobId === null).map((e) => e.queue));
      const jobIds = new Set(batch.events.flatMap((e) => (e.jobId ? [`${e.queue}\u0000${e.jobId}`] : [])));
      const onlyProgress = batch.events.every((e) => e.event === "progress");

      refetch("overview", admin.overview.queryKey());
      for (const q of queues) refetch(`jobs:${q}`, admin.jobs.pathKey(), (key) => inputOf(key)?.queue === q);
      // Open job pages whose job (or whose whole queue) was concerned.
      for (const query of queryClient.getQueryCache().findAll({ queryKey: admin.job.pathKey() })) {
        const input = inputOf(query.queryKey);
        const queue = String(input?.queue ?? "");
        const jobId = String(input?.jobId ?? "");
        if (queueWide.has(queue) || jobIds.has(`${queue}\u0000${jobId}`)) {
          refetch(`job:${queue}:${jobId}`, query.queryKey);
        }
      }
      if (!onlyProgress) {
        // A sync that started or ended changes a user's status, the workers' figures, X's limits.
        refetch("users", admin.users.pathKey());
        refetch("workers", admin.workers.queryKey());
      }
      // Queue-wide events and removals come from admin actions: someone's audit entry.
      if (queueWide.size > 0 || batch.events.some((e) => e.event === "removed")) refetch("audit", admin.auditLog.pathKey());
    },
    [queryClient, refetch, trpc],
  );

  const sub = useLiveSubscription(
    useSubscription(
      trpc.admin.onQueueEvents.subscriptionOptions(undefined, {
        onData,
        onConnectionStateChange: (state) => {
          // Not live until the stream says so again (its first, empty batch).
          if (state.state === "connecting") setReady(false);
        },
      }),
    ),
    () => setReady(false),
  );

  const status: LiveStatus =
    sub.status === "error" ? "error" : sub.status === "pending" && ready ? "live" : everLive ? "reconnecting" : "connecting";
  const error = sub.error?.message ?? null;
  const { reset } = sub;
  const retry = useCallback(() => {
    setReady(false);
    reset();
  }, [reset]);

  const value = useMemo<LiveState>(() => ({ status, error, lastBatchAt, events, retry }), [status, error, lastBatchAt, events, retry]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

const LIVE_LABELS: Record<LiveStatus, { text: string; dot: string; title: string }> = {
  connecting: { text: "Connecting…", dot: "bg-zinc-400 animate-pulse", title: "Subscribing to the queues’ events" },
  live: { text: "Live", dot: "bg-emerald-500", title: "Counts and lists update as the queues’ events arrive" },
  reconnecting: {
    text: "Reconnecting…",
    dot: "bg-amber-500 animate-pulse",
    title: "The live connection dropped; what you see may be out of date",
  },
  error: { text: "Not live", dot: "bg-red-500", title: "The live connection was refused" },
};

/** Whether the console is receiving the queues' events. */
export function LiveIndicator() {
  const live = useAdminLive();
  const { text, dot, title } = LIVE_LABELS[live.status];
  return (
    <span className="inline-flex items-center gap-2">
      <span
        role="status"
        aria-live="polite"
        data-testid="admin-live"
        data-live={live.status}
        title={`${title}${live.lastBatchAt ? ` · last update ${new Date(live.lastBatchAt).toLocaleTimeString()}` : ""} · ${live.events} events`}
        className="inline-flex items-center gap-1.5 rounded-full border border-zinc-200 px-2.5 py-1 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      >
        <span aria-hidden className={`size-2 rounded-full ${dot}`} />
        {text}
        {live.status === "error" && live.error && <span className="sr-only">: {live.error}</span>}
      </span>
      {live.status === "error" && (
        <button
          type="button"
          onClick={live.retry}
          className="rounded-full px-2 py-0.5 text-xs text-sky-700 hover:bg-zinc-100 dark:text-sky-400 dark:hover:bg-zinc-800"
        >
          Reconnect
        </button>
      )}
    </span>
  );
}
