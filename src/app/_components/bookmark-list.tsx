"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { useTRPC } from "~/trpc/react";
import { BookmarkCard } from "./bookmark-card";

const PAGE_SIZE = 30;

export function BookmarkList() {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.bookmarks.list.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (last) => last.nextCursor }),
  );
  const sentinel = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;

  // Infinite scroll: load the next page as the end of the list comes into view.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasNextPage) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) void fetchNextPage();
      },
      { rootMargin: "800px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  if (list.isPending) {
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

  if (list.isError) {
    return (
      <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
        Could not load your bookmarks: {list.error.message}{" "}
        <button type="button" onClick={() => void list.refetch()} className="underline">
          Try again
        </button>
      </div>
    );
  }

  const items = list.data.pages.flatMap((p) => p.items);
  if (items.length === 0) {
    return (
      <div className="rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700" data-testid="empty-library">
        <p className="text-lg font-semibold">Your library is empty</p>
        <p className="mt-1 text-sm text-zinc-500">Press Sync to bring in your bookmarks from X. The latest 800 are available.</p>
      </div>
    );
  }

  return (
    <section aria-label="Bookmarks" data-testid="bookmark-list">
      {items.map((b) => (
        <BookmarkCard key={b.id} bookmark={b} />
      ))}
      <div ref={sentinel} className="py-6 text-center text-sm text-zinc-500">
        {hasNextPage ? (
          <button type="button" onClick={() => void fetchNextPage()} disabled={isFetchingNextPage} className="rounded-full px-4 py-2 hover:bg-zinc-100 dark:hover:bg-zinc-800">
            {isFetchingNextPage ? "Loading more…" : "Load more"}
          </button>
        ) : (
          <span>That’s all {items.length} bookmarks.</span>
        )}
      </div>
    </section>
  );
}
