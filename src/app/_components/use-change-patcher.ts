"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import type { LibraryChange } from "~/server/library/changes";
import { useTRPC } from "~/trpc/react";
import type { CategoryItem } from "./library-client";
import { applyBookmarkPatch, filterOfKey, viewNeedsRefetch } from "./library-patch";
import { patchData } from "./list-cache";

/**
 * Applies a change made elsewhere to one bookmark straight to this tab's cached lists, so it shows
 * within the socket's hop instead of after a refetch. Refetches only the views it may reorder,
 * add to or drop from (and their counts), the category counts when the category changed, and
 * any list fetching right now (it may have been read before the edit, and would paint over it).
 * Returns false when the change cannot be patched in: the caller refetches as for any change.
 */
export function useChangePatcher() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    (change: LibraryChange): boolean => {
      const p = change.bookmark;
      if (change.kind !== "bookmarks" || !p) return false;
      const categories = queryClient.getQueryData<CategoryItem[]>(trpc.categories.list.queryKey()) ?? [];
      let ok = true;
      queryClient.setQueriesData<unknown>({ queryKey: trpc.bookmarks.list.pathKey() }, (data: unknown) =>
        patchData(data, p.id, (b) => {
          // An older copy than the one this edit was made on missed a change: refetch it.
          if (b.version < p.version - 1) ok = false;
          const next = applyBookmarkPatch(b, p, categories);
          if (next === null) ok = false;
          return next ?? b;
        }),
      );
      if (!ok) return false;
      void queryClient.invalidateQueries({
        queryKey: trpc.bookmarks.pathKey(),
        predicate: (q) => viewNeedsRefetch(filterOfKey(q.queryKey), p) || q.state.fetchStatus === "fetching",
      });
      if (p.categoryId !== undefined) void queryClient.invalidateQueries({ queryKey: trpc.categories.list.pathKey() });
      return true;
    },
    [queryClient, trpc],
  );
}
