"use client";

import { useEffect, useRef } from "react";
import type { BookmarkView } from "~/server/bookmarks/list";
import { BookmarkCard } from "./bookmark-card";
import { formatCountOf } from "./format";

export function ListSkeleton() {
  return (
    <div aria-busy="true" aria-label="Loading bookmarks">
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="flex animate-pulse gap-3 border-b border-zinc-200 py-4 dark:border-zinc-800">
          <div className="size-10 rounded-full bg-zinc-200 dark:bg-zinc-800" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-1/3 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-5/6 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-2/3 rounded bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </div>
      ))}
    </div>
  );
}

/** The cards of the current view, with infinite scroll, and the empty and error states. */
export function BookmarkList({
  items,
  isPending,
  error,
  onRetry,
  hasNextPage,
  isFetchingNextPage,
  fetchNextPage,
  filtered,
  onClearFilters,
  selected,
  onToggleSelect,
  stale,
}: {
  items: BookmarkView[] | undefined;
  isPending: boolean;
  error: string | null;
  onRetry: () => void;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => void;
  filtered: boolean;
  onClearFilters: () => void;
  selected: ReadonlySet<string>;
  onToggleSelect: (id: string, range: boolean) => void;
  /** Showing an earlier view's results while the new one loads. */
  stale: boolean;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  const canLoadMore = hasNextPage && !stale && !error;

  // Infinite scroll: load the next page as the end of the list comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !canLoadMore) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) fetchNextPage();
      },
      { rootMargin: "800px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [canLoadMore, isFetchingNextPage, fetchNextPage]);

  if (isPending && !items) return <ListSkeleton />;

  if (error && !items) {
    return (
      <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        Could not load your bookmarks: {error}{" "}
        <button type="button" onClick={onRetry} className="underline">
          Try again
        </button>
      </div>
    );
  }

  const list = items ?? [];
  if (list.length === 0) {
    if (filtered) {
      return (
        <div className="rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700" data-testid="no-results">
          <p className="text-lg font-semibold">No bookmarks match</p>
          <p className="mt-1 text-sm text-zinc-500">Try other words, or fewer filters.</p>
          <button
            type="button"
            onClick={onClearFilters}
            className="mt-4 rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500"
          >
            Clear filters
          </button>
        </div>
      );
    }
    return (
      <div className="rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700" data-testid="empty-library">
        <p className="text-lg font-semibold">Your library is empty</p>
        <p className="mt-1 text-sm text-zinc-500">Press Sync to bring in your bookmarks from X. The latest 800 are available.</p>
      </div>
    );
  }

  return (
    <section
      aria-label="Bookmarks"
      aria-busy={stale}
      data-testid="bookmark-list"
      data-stale={stale || undefined}
      // Fades only if the new results take a moment: quick answers just swap in.
      className={`transition-opacity duration-200 ${stale ? "opacity-60 delay-300" : "delay-0"}`}
    >
      {list.map((b) => (
        <BookmarkCard key={b.id} bookmark={b} selected={selected.has(b.id)} onToggleSelect={onToggleSelect} />
      ))}
      <div ref={sentinel} className="py-6 text-center text-sm text-zinc-500">
        {hasNextPage ? (
          <button
            type="button"
            onClick={fetchNextPage}
            disabled={isFetchingNextPage || !canLoadMore}
            className="rounded-full px-4 py-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            {isFetchingNextPage ? "Loading more…" : "Load more"}
          </button>
        ) : (
          <span>That’s all {formatCountOf(list.length, filtered ? "result" : "bookmark")}.</span>
        )}
      </div>
    </section>
  );
}
