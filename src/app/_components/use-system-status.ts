"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { SystemStatus } from "~/server/fallback/status";
import { useTRPC } from "~/trpc/react";

/** How often the page asks how the app is (more often while something is down), and refetches the library while live updates are off. */
const STATUS_EVERY_MS = 60_000;
const DEGRADED_STATUS_EVERY_MS = 15_000;
export const FALLBACK_REFETCH_MS = 30_000;

async function fetchStatus(): Promise<SystemStatus> {
  const res = await fetch("/api/status", { cache: "no-store" });
  if (!res.ok) throw new Error(`status ${res.status}`);
  return (await res.json()) as SystemStatus;
}

/**
 * The fallback chain as the server sees it (GET /api/status). When the server cannot be reached
 * at all the query errors: the banner says so too. While Redis is down (no live updates), the
 * library's lists are refetched every FALLBACK_REFETCH_MS instead.
 */
export function useSystemStatus(): { status: SystemStatus | null; unreachable: boolean } {
  const q = useQuery({
    queryKey: ["system-status"],
    queryFn: fetchStatus,
    refetchInterval: (query) => (query.state.data?.isolated.length || query.state.error ? DEGRADED_STATUS_EVERY_MS : STATUS_EVERY_MS),
    retry: false,
  });
  const noLiveUpdates = q.data?.isolated.includes("no-live-updates") ?? false;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!noLiveUpdates) return;
    const timer = setInterval(() => {
      void queryClient.invalidateQueries({ queryKey: trpc.bookmarks.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.tags.list.pathKey() });
      void queryClient.invalidateQueries({ queryKey: trpc.categories.list.pathKey() });
    }, FALLBACK_REFETCH_MS);
    return () => clearInterval(timer);
  }, [noLiveUpdates, queryClient, trpc]);
  return { status: q.data ?? null, unreachable: q.isError && !q.data };
}
