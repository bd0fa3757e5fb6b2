"use client";

import { measureElement, useWindowVirtualizer, type Virtualizer } from "@tanstack/react-virtual";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { BookmarkView } from "~/server/bookmarks/list";
import { BookmarkCard } from "./bookmark-card";
import { cardHeight, setCardHeight } from "./card-heights";
import { ListEmpty, ListError, ListSkeleton } from "./list-states";
import { useCardNavigation } from "./use-card-navigation";
import { useScrollRestoration } from "./use-scroll-restoration";

/** A card's height before it is measured (a short post with a picture). */
const ESTIMATED_CARD_PX = 280;
/** Cards kept rendered above and below the window, so j/k and fast scrolling find them ready. */
const OVERSCAN = 6;
/** The sticky search bar and header above the list: scrolling to a card keeps it below them. */
const STICKY_TOP_PX = 144;

/** The cards of the current view, virtualised (only those near the window are in the page), with infinite scroll. */
export function BookmarkList({
  items,
  view,
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
  /** The view's identity (its URL query), for scroll restoration. */
  view: string;
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
  const t = useTranslations("library");
  const list = items ?? [];
  const top = useRef<HTMLDivElement>(null);
  const sentinel = useRef<HTMLDivElement>(null);
  const canLoadMore = hasNextPage && !stale && !error;

  // Where the list starts on the page: the virtualiser's margin. What is above it (filter bar,
  // messages) can grow or shrink; any such change resizes the body, which is watched.
  const [scrollMargin, setScrollMargin] = useState(0);
  const hasList = list.length > 0;
  useLayoutEffect(() => {
    const measure = () => {
      if (top.current) setScrollMargin(Math.round(top.current.getBoundingClientRect().top + window.scrollY));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(document.body);
    return () => ro.disconnect();
  }, [hasList]);

  const virtualizer = useWindowVirtualizer({
    count: list.length,
    estimateSize: (i) => cardHeight(list[i]?.id ?? "") ?? ESTIMATED_CARD_PX,
    getItemKey: (i) => list[i]?.id ?? i,
    overscan: OVERSCAN,
    scrollMargin,
    scrollPaddingStart: STICKY_TOP_PX,
    measureElement: (el, entry, instance: Virtualizer<Window, Element>) => {
      const size = measureElement(el, entry, instance);
      const id = (el as HTMLElement).dataset.key;
      if (id) setCardHeight(id, size);
      return size;
    },
  });

  const ids = list.map((b) => b.id);
  const scrollToIndex = useCallback((i: number) => virtualizer.scrollToIndex(i, { align: "auto" }), [virtualizer]);
  useCardNavigation(ids, scrollToIndex);
  const total = virtualizer.getTotalSize();
  useScrollRestoration(view, {
    ready: list.length > 0 && !stale,
    totalHeight: total,
    hasMore: canLoadMore,
    loadingMore: isFetchingNextPage,
    loadMore: fetchNextPage,
  });

  // Infinite scroll: load the next page as the end of the list comes near the window.
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !canLoadMore) return;
    const io = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting) && !isFetchingNextPage) fetchNextPage();
      },
      { rootMargin: "1200px" },
    );
    io.observe(el);
    return () => io.disconnect();
  }, [canLoadMore, isFetchingNextPage, fetchNextPage]);

  if (isPending && !items) return <ListSkeleton />;
  if (error && !items) return <ListError error={error} onRetry={onRetry} />;
  if (list.length === 0) return <ListEmpty filtered={filtered} onClearFilters={onClearFilters} />;

  return (
    <section
      aria-label={t("listLabel")}
      aria-busy={stale}
      data-testid="bookmark-list"
      data-loaded={list.length}
      data-stale={stale || undefined}
      // Fades only if the new results take a moment: quick answers just swap in.
      className={`transition-opacity duration-200 ${stale ? "opacity-60 delay-300" : "delay-0"}`}
    >
      <div ref={top} className="relative w-full" style={{ height: total }}>
        {virtualizer.getVirtualItems().map((row) => {
          const b = list[row.index]!;
          return (
            <div
              key={row.key}
              data-index={row.index}
              data-key={b.id}
              ref={virtualizer.measureElement}
              className="absolute top-0 left-0 w-full"
              style={{ transform: `translateY(${row.start - scrollMargin}px)` }}
            >
              <BookmarkCard bookmark={b} selected={selected.has(b.id)} onToggleSelect={onToggleSelect} />
            </div>
          );
        })}
      </div>
      <div ref={sentinel} className="py-6 text-center text-sm text-zinc-500">
        {hasNextPage ? (
          <button
            type="button"
            onClick={fetchNextPage}
            disabled={isFetchingNextPage || !canLoadMore}
            className="rounded-full px-4 py-2 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            {isFetchingNextPage ? t("loadingMore") : t("loadMore")}
          </button>
        ) : (
          <span>{t(filtered ? "allResults" : "allShown", { count: list.length })}</span>
        )}
      </div>
    </section>
  );
}
