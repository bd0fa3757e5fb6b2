"use client";

import { useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useMemo } from "react";
import type { AppRouter } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

/**
 * The cached list pages (`bookmarks.list`, infinite or plain): one bookmark found or changed in
 * every cached view at once, without a refetch.
 */

export type ListPage = inferRouterOutputs<AppRouter>["bookmarks"]["list"];
export type Bookmark = ListPage["items"][number];

function patchItems(items: Bookmark[], id: string, fn: (b: Bookmark) => Bookmark): Bookmark[] | null {
  let changed = false;
  const next = items.map((b) => {
    if (b.id !== id) return b;
    const n = fn(b);
    if (n !== b) changed = true;
    return n;
  });
  return changed ? next : null;
}

/** Applies fn to the bookmark in a list query's data (infinite: its pages; plain: its items). */
export function patchData(data: unknown, id: string, fn: (b: Bookmark) => Bookmark): unknown {
  if (!data || typeof data !== "object") return data;
  if ("pages" in data && Array.isArray(data.pages)) {
    let changed = false;
    const pages = (data.pages as ListPage[]).map((p) => {
      const items = patchItems(p.items, id, fn);
      if (!items) return p;
      changed = true;
      return { ...p, items };
    });
    return changed ? { ...data, pages } : data;
  }
  if ("items" in data && Array.isArray(data.items)) {
    const items = patchItems(data.items as Bookmark[], id, fn);
    return items ? { ...data, items } : data;
  }
  return data;
}

export function findIn(data: unknown, id: string): Bookmark | undefined {
  if (!data || typeof data !== "object") return undefined;
  const pages = "pages" in data && Array.isArray(data.pages) ? (data.pages as ListPage[]) : "items" in data ? [data as ListPage] : [];
  for (const p of pages) {
    const b = p.items?.find((i) => i.id === id);
    if (b) return b;
  }
  return undefined;
}

export function useListCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMemo(() => {
    const queryKey = trpc.bookmarks.list.pathKey();
    return {
      patch: (id: string, fn: (b: Bookmark) => Bookmark) =>
        queryClient.setQueriesData<unknown>({ queryKey }, (d: unknown) => patchData(d, id, fn)),
      find: (id: string) => {
        for (const [, d] of queryClient.getQueriesData<unknown>({ queryKey })) {
          const b = findIn(d, id);
          if (b) return b;
        }
        return undefined;
      },
      cancel: () => queryClient.cancelQueries({ queryKey }),
    };
  }, [queryClient, trpc]);
}
