"use client";

import { keepPreviousData, useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { LIBRARY_PAGE_SIZE as PAGE_SIZE } from "~/lib/library-view";
import { useTRPC } from "~/trpc/react";
import { BookmarkEditsProvider } from "./bookmark-edits";
import { BookmarkList } from "./bookmark-list";
import { BulkToolbar } from "./bulk-toolbar";
import { CategoryManager } from "./category-manager";
import { DegradedBanner } from "./degraded-banner";
import { ExportMenu } from "./export-menu";
import { FilterBar, SortSelect } from "./filter-bar";
import { FolderList } from "./folder-list";
import { errorCode, type CategoryItem, type HighlightSpec, type TagItem } from "./library-client";
import { LibraryContext, type LibraryContextValue } from "./library-context";
import { LibraryLive } from "./library-live";
import { SearchBar } from "./search-bar";
import { TagManager } from "./tag-manager";
import { ToastProvider } from "./toast";
import { isListShortcut } from "./use-card-navigation";
import { useErrorText } from "./use-error-text";
import {
  DEFAULT_STATE,
  filterProblems,
  hasSearchWords,
  isFiltered,
  searchProblems,
  toFilterInput,
  useLibraryFilter,
  type UpdateMode,
} from "./use-library-filter";

const NO_TAGS: TagItem[] = [];
const NO_CATEGORIES: CategoryItem[] = [];
const NO_HIGHLIGHT: HighlightSpec = { terms: [], stems: [] };

/** Bad input is the person's to fix: asking again will not help. */
function retryUnlessBadRequest(failures: number, error: { data?: { code?: string } | null }): boolean {
  return failures < 1 && errorCode(error) !== "BAD_REQUEST";
}

interface Selection {
  ids: ReadonlySet<string>;
  /** The last bookmark clicked: Shift+click selects from here. */
  anchor: string | null;
}
const NOTHING_SELECTED: Selection = { ids: new Set(), anchor: null };

function Library({ userId }: { userId: string }) {
  const t = useTranslations("library");
  const errorText = useErrorText();
  const trpc = useTRPC();
  const { state, update, clear } = useLibraryFilter();
  const tagsQuery = useQuery(trpc.tags.list.queryOptions());
  const categoriesQuery = useQuery(trpc.categories.list.queryOptions());
  const tags = tagsQuery.data ?? NO_TAGS;
  const categories = categoriesQuery.data ?? NO_CATEGORIES;

  // What is wrong with the view as typed; while anything is, the last good view stays on screen.
  const searchIssues = useMemo(() => searchProblems(state.q), [state.q]);
  const allIssues = useMemo(() => filterProblems(state), [state]);
  const valid = allIssues.length === 0;
  const [lastValid, setLastValid] = useState(() => (valid ? state : DEFAULT_STATE));
  if (valid && state !== lastValid) setLastValid(state);
  const shownState = valid ? state : lastValid;
  const requested = useMemo(() => toFilterInput(shownState), [shownState]);
  const viewKey = useMemo(() => JSON.stringify(requested), [requested]);
  // The URL's view has filters (so "Clear filters" is offered); the one on screen may be the last good one.
  const filtered = isFiltered(state);
  const shownFiltered = isFiltered(shownState);

  const list = useInfiniteQuery(
    trpc.bookmarks.list.infiniteQueryOptions(
      { filter: requested, limit: PAGE_SIZE },
      { getNextPageParam: (last) => last.nextCursor, placeholderData: keepPreviousData, retry: retryUnlessBadRequest },
    ),
  );
  const count = useQuery(
    trpc.bookmarks.count.queryOptions({ filter: requested }, { placeholderData: keepPreviousData, retry: retryUnlessBadRequest }),
  );

  // If the server still refuses a view (its rules may be newer than this page's), keep showing
  // the last results and say why under the search box.
  const [lastData, setLastData] = useState(list.data);
  if (list.data && list.data !== lastData) setLastData(list.data);
  const serverRefused = list.isError && errorCode(list.error) === "BAD_REQUEST";
  const data = list.data ?? (list.isError ? lastData : undefined);
  const items = useMemo(() => data?.pages.flatMap((p) => p.items), [data]);
  const highlight = data?.pages[0]?.highlight ?? NO_HIGHLIGHT;
  const { fetchNextPage, refetch } = list;
  const loadMore = useCallback(() => void fetchNextPage(), [fetchNextPage]);
  const retry = useCallback(() => void refetch(), [refetch]);
  const stale = list.isPlaceholderData || (list.isError && !list.data && !!lastData);

  const searchMessages = [...searchIssues, ...(serverRefused ? [errorText(list.error) ?? ""] : [])];
  const filterMessages = allIssues.filter((p) => !searchIssues.includes(p));

  // Selection: only what is on screen counts, and a new view starts with none.
  const [selection, setSelection] = useState<Selection>(NOTHING_SELECTED);
  const [selectionView, setSelectionView] = useState(requested);
  if (requested !== selectionView) {
    setSelectionView(requested);
    setSelection(NOTHING_SELECTED);
  }
  const ids = useMemo(() => items?.map((b) => b.id) ?? [], [items]);
  const selectedItems = useMemo(() => items?.filter((b) => selection.ids.has(b.id)) ?? [], [items, selection]);
  const toggleSelect = useCallback(
    (id: string, range: boolean) =>
      setSelection((s) => {
        const next = new Set(s.ids);
        const on = !s.ids.has(id);
        const from = range && s.anchor ? ids.indexOf(s.anchor) : -1;
        const to = ids.indexOf(id);
        if (from >= 0 && to >= 0) {
          for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
            if (on) next.add(ids[i]!);
            else next.delete(ids[i]!);
          }
        } else if (on) next.add(id);
        else next.delete(id);
        return { ids: next, anchor: id };
      }),
    [ids],
  );
  const clearSelection = useCallback(() => setSelection(NOTHING_SELECTED), []);
  const allShownSelected = ids.length > 0 && selectedItems.length === ids.length;

  const [dialog, setDialog] = useState<null | "tags" | "categories">(null);
  const filterByTag = useCallback(
    (tagId: number) => update((s) => ({ tagIds: s.tagIds.includes(tagId) ? s.tagIds : [...s.tagIds, tagId] })),
    [update],
  );
  const context = useMemo<LibraryContextValue>(
    () => ({
      tags,
      categories,
      highlight,
      filterByTag,
      openTagManager: () => setDialog("tags"),
      openCategoryManager: () => setDialog("categories"),
    }),
    [tags, categories, highlight, filterByTag],
  );

  // Keyboard: x selects the focused bookmark, Esc drops the selection (j/k are the list's own).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isListShortcut(e)) return;
      if (e.key === "Escape") {
        setSelection((s) => (s.ids.size > 0 ? NOTHING_SELECTED : s));
        return;
      }
      const current = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-testid=bookmark]") ?? null;
      if (e.key === "x" && current) {
        e.preventDefault();
        const id = current.dataset.bookmarkId;
        if (id) toggleSelect(id, e.shiftKey);
      }
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [toggleSelect]);

  // A new view while scrolled far down: back up to the top of the results.
  const resultsTop = useRef<HTMLDivElement>(null);
  const shownView = useRef(requested);
  useEffect(() => {
    if (shownView.current === requested) return;
    shownView.current = requested;
    const el = resultsTop.current;
    if (el && el.getBoundingClientRect().top < 0) el.scrollIntoView({ block: "start" });
  }, [requested]);

  const commitSearch = useCallback((q: string, mode: UpdateMode) => update({ q }, mode), [update]);
  // The count says "results" for a filtered view: word and number change together, when the new
  // number is in (not while the previous view's number stands in for it).
  const settledCount =
    count.data !== undefined && !count.isPlaceholderData ? t(shownFiltered ? "resultCount" : "count", { count: count.data }) : null;
  const [countText, setCountText] = useState(settledCount);
  if (settledCount !== null && settledCount !== countText) setCountText(settledCount);
  const countBusy = count.isPlaceholderData || count.isFetching;
  const hasWords = hasSearchWords(state.q);

  const onTagsGone = useCallback(
    (gone: number[], replacement?: number) =>
      update((s) => {
        if (!s.tagIds.some((t) => gone.includes(t))) return {};
        const kept = s.tagIds.filter((t) => !gone.includes(t));
        return { tagIds: replacement !== undefined && !kept.includes(replacement) ? [...kept, replacement] : kept };
      }, "replace"),
    [update],
  );
  const onCategoryGone = useCallback((id: number) => update((s) => (s.category === id ? { category: null } : {}), "replace"), [update]);

  return (
    <LibraryContext.Provider value={context}>
      <BookmarkEditsProvider userId={userId}>
        <LibraryLive />
        <DegradedBanner />
        <div className="sticky top-[57px] z-[9] -mx-4 bg-zinc-50/90 px-4 py-3 backdrop-blur dark:bg-zinc-950/90">
          <SearchBar q={state.q} onCommit={commitSearch} problems={searchMessages} busy={list.isFetching && !list.isFetchingNextPage} />
        </div>
        <FilterBar
          state={state}
          update={update}
          tags={tags}
          categories={categories}
          problems={filterMessages}
          onManageTags={() => setDialog("tags")}
          onManageCategories={() => setDialog("categories")}
        />
        <FolderList state={state} update={update} />
        <div
          ref={resultsTop}
          className="flex scroll-mt-32 flex-wrap items-center gap-x-3 gap-y-2 border-b border-zinc-200 py-2 text-sm dark:border-zinc-800"
        >
          <label className="flex items-center gap-2 text-zinc-600 dark:text-zinc-400">
            <input
              type="checkbox"
              data-testid="select-all"
              className="size-4 accent-sky-600"
              disabled={ids.length === 0}
              checked={allShownSelected}
              ref={(el) => {
                if (el) el.indeterminate = selectedItems.length > 0 && !allShownSelected;
              }}
              onChange={() => setSelection(allShownSelected ? NOTHING_SELECTED : { ids: new Set(ids), anchor: null })}
            />
            {t("selectAllShown")}
          </label>
          <span aria-hidden className="text-zinc-300 dark:text-zinc-700">
            |
          </span>
          <span
            data-testid="result-count"
            aria-live="polite"
            aria-busy={countBusy}
            className={`font-medium tabular-nums transition-opacity ${countBusy ? "opacity-60 delay-300" : ""}`}
          >
            {countText ?? "\u00a0"}
          </span>
          {filtered && (
            <button
              type="button"
              data-testid="clear-filters"
              onClick={clear}
              className="rounded-full px-2 py-0.5 text-sky-700 hover:bg-sky-50 dark:text-sky-400 dark:hover:bg-sky-950"
            >
              {t("clearFilters")}
            </button>
          )}
          <div className="ml-auto flex items-center gap-3">
            <SortSelect state={state} update={update} hasWords={hasWords} />
            <ExportMenu filter={requested} filtered={filtered} />
          </div>
        </div>
        {list.isError && data && !serverRefused && (
          <p role="alert" className="mt-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
            {t("refreshFailed", { error: errorText(list.error) ?? "" })}{" "}
            <button type="button" onClick={retry} className="underline">
              {t("tryAgain")}
            </button>
          </p>
        )}
        <BookmarkList
          items={items}
          view={viewKey}
          isPending={list.isPending}
          error={list.isError ? errorText(list.error) : null}
          onRetry={retry}
          hasNextPage={list.hasNextPage && !list.isPlaceholderData}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={loadMore}
          filtered={shownFiltered}
          onClearFilters={clear}
          selected={selection.ids}
          onToggleSelect={toggleSelect}
          stale={stale}
        />
        {selectedItems.length > 0 && <BulkToolbar selected={selectedItems} onClear={clearSelection} />}
        {dialog === "tags" && <TagManager onClose={() => setDialog(null)} onTagsGone={onTagsGone} />}
        {dialog === "categories" && <CategoryManager onClose={() => setDialog(null)} onCategoryGone={onCategoryGone} />}
      </BookmarkEditsProvider>
    </LibraryContext.Provider>
  );
}

/** The library: search, filters, the bookmarks, and what can be done with them. */
export function LibraryView({ userId }: { userId: string }) {
  return (
    <ToastProvider>
      <Library userId={userId} />
    </ToastProvider>
  );
}
