"use client";

import { useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { parseSearchQuery } from "~/lib/search-query";
import { libraryFilter, type LibraryFilterInput, type SortOrder } from "~/shared/filter";

/**
 * The library's search and filters live in the URL (`?q=…&tags=1,2&…`), so a reload, a shared
 * link and back/forward all show the same view. The URL is the one source of truth: controls
 * read from it and write to it (with the history API, which Next's router follows without a
 * server round trip).
 */

export type MediaMode = "any" | "with" | "without";
export type RemovedMode = "all" | "only" | "hide";

export interface LibraryState {
  q: string;
  tagIds: number[];
  tagMode: "any" | "all";
  /** A category id, "none" for bookmarks without one, null for any. */
  category: number | "none" | null;
  author: string;
  /** Calendar dates (YYYY-MM-DD), both inclusive, in the person's time zone. */
  from: string;
  to: string;
  media: MediaMode;
  lang: string;
  favorite: boolean;
  removed: RemovedMode;
  /** One of the person's X bookmark folders (its id here), "" for any. */
  folder: string;
  sort: SortOrder;
}

export const DEFAULT_STATE: LibraryState = {
  q: "",
  tagIds: [],
  tagMode: "any",
  category: null,
  author: "",
  from: "",
  to: "",
  media: "any",
  lang: "",
  favorite: false,
  removed: "all",
  folder: "",
  sort: "newest",
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const positiveInt = (s: string) => (/^\d{1,9}$/.test(s) && Number(s) > 0 ? Number(s) : null);

export function parseLibraryState(params: Pick<URLSearchParams, "get">): LibraryState {
  const get = (k: string) => params.get(k) ?? "";
  const tagIds = [
    ...new Set(
      get("tags")
        .split(",")
        .map(positiveInt)
        .filter((n): n is number => n !== null),
    ),
  ];
  const cat = get("category");
  const sort = get("sort");
  const media = get("media");
  const removed = get("removed");
  return {
    q: get("q"),
    tagIds,
    tagMode: get("tagMode") === "all" ? "all" : "any",
    category: cat === "none" ? "none" : positiveInt(cat),
    author: get("author"),
    from: DATE.test(get("from")) ? get("from") : "",
    to: DATE.test(get("to")) ? get("to") : "",
    media: media === "with" || media === "without" ? media : "any",
    lang: get("lang"),
    favorite: get("fav") === "1",
    removed: removed === "only" || removed === "hide" ? removed : "all",
    folder: /^[\w-]{1,40}$/.test(get("folder")) ? get("folder") : "",
    sort: sort === "oldest" || sort === "relevance" ? sort : "newest",
  };
}

/** The query string for a state, defaults left out (so the plain library is just `/`). */
export function libraryStateToSearch(s: LibraryState): string {
  const p = new URLSearchParams();
  if (s.q) p.set("q", s.q);
  if (s.tagIds.length) p.set("tags", s.tagIds.join(","));
  if (s.tagIds.length > 1 && s.tagMode === "all") p.set("tagMode", "all");
  if (s.category !== null) p.set("category", String(s.category));
  if (s.author.trim()) p.set("author", s.author.trim());
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.media !== "any") p.set("media", s.media);
  if (s.lang.trim()) p.set("lang", s.lang.trim());
  if (s.favorite) p.set("fav", "1");
  if (s.removed !== "all") p.set("removed", s.removed);
  if (s.folder) p.set("folder", s.folder);
  if (s.sort !== "newest") p.set("sort", s.sort);
  const out = p.toString();
  return out ? `?${out}` : "";
}

/** Local midnight of a YYYY-MM-DD date, `days` later. */
function localDate(ymd: string, days = 0): Date {
  const [y, m, d] = ymd.split("-").map(Number) as [number, number, number];
  return new Date(y, m - 1, d + days);
}

/** The API's filter for a state. The "to" date is inclusive on screen, exclusive in the API. */
export function toFilterInput(s: LibraryState): LibraryFilterInput {
  const f: LibraryFilterInput = { q: s.q, sort: s.sort };
  if (s.tagIds.length) {
    f.tagIds = s.tagIds;
    f.tagMode = s.tagMode;
  }
  if (s.category === "none") f.categoryId = null;
  else if (s.category !== null) f.categoryId = s.category;
  if (s.author.trim()) f.author = s.author.trim();
  if (s.from) f.postedFrom = localDate(s.from);
  if (s.to) f.postedTo = localDate(s.to, 1);
  if (s.media !== "any") f.hasMedia = s.media === "with";
  if (s.lang.trim()) f.lang = s.lang.trim();
  if (s.favorite) f.favorite = true;
  if (s.removed !== "all") f.removedOnX = s.removed === "only";
  if (s.folder) f.folderId = s.folder;
  return f;
}

/** What is wrong with a state, in the words the server would use (empty when it is fine). */
export function filterProblems(s: LibraryState): string[] {
  const problems = [...parseSearchQuery(s.q).errors];
  const parsed = libraryFilter.safeParse(toFilterInput(s));
  if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
  return [...new Set(problems)];
}

/** Problems with the search box's text only (shown under it). */
export function searchProblems(q: string): string[] {
  const problems = [...parseSearchQuery(q).errors];
  if (q.length > 500) problems.push("Searches can be at most 500 characters.");
  return problems;
}

/** Search words (not operators, not negated): what relevance can rank by. */
export function hasSearchWords(q: string): boolean {
  return parseSearchQuery(q).terms.some((t) => !t.negate);
}

/** True when anything narrows the view (the sort order does not). */
export function isFiltered(s: LibraryState): boolean {
  return libraryStateToSearch({ ...s, sort: "newest" }) !== "";
}

export type UpdateMode = "push" | "replace";
/** A change to the state, or a function of the current state (as the URL has it now) giving one. */
export type Patch = Partial<LibraryState> | ((current: LibraryState) => Partial<LibraryState>);

export function useLibraryFilter() {
  const params = useSearchParams();
  const search = params.toString();
  // Parsed once per distinct URL, so the state (and the filter built from it) keeps its identity.
  const state = useMemo(() => parseLibraryState(new URLSearchParams(search)), [search]);

  /** Changes part of the state; "push" makes a history entry (back undoes it), "replace" does not. */
  const update = useCallback((patch: Patch, mode: UpdateMode = "push") => {
    // Read the URL now, not the state of the last render: two quick updates must both land.
    const current = parseLibraryState(new URLSearchParams(window.location.search));
    const next = libraryStateToSearch({ ...current, ...(typeof patch === "function" ? patch(current) : patch) });
    if (next === libraryStateToSearch(current)) return;
    const url = `${window.location.pathname}${next}${window.location.hash}`;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  }, []);

  /** Back to the whole library; an explicit oldest-first order stays (relevance needs words). */
  const clear = useCallback(() => {
    const { sort } = parseLibraryState(new URLSearchParams(window.location.search));
    update({ ...DEFAULT_STATE, sort: sort === "oldest" ? "oldest" : "newest" });
  }, [update]);

  return { state, update, clear };
}
