"use client";

import { useState } from "react";
import { foldForMatch, type TagItem } from "./library-client";
import type { LibraryState, Patch, UpdateMode } from "./use-library-filter";

/** The filter bar's logic apart from its controls: finding tags, drafts, what counts as active. */

export type Update = (patch: Patch, mode?: UpdateMode) => void;

const LANGUAGES: { code: string; name: string }[] = [
  { code: "ja", name: "日本語" },
  { code: "en", name: "English" },
];

/** The languages offered, with the URL's own when it is none of them (so the select shows it). */
export function languageChoices(lang: string): { code: string; name: string }[] {
  return lang && !LANGUAGES.some((l) => l.code === lang) ? [...LANGUAGES, { code: lang, name: lang }] : LANGUAGES;
}

/** Relevance without search words ranks nothing: the list is newest first, and says so. */
export function shownSort(sort: LibraryState["sort"], hasWords: boolean): LibraryState["sort"] {
  return sort === "relevance" && !hasWords ? "newest" : sort;
}

/** Adds the tag to the filter, or takes it out. */
export const toggleTag = (id: number) => (s: LibraryState) => ({
  tagIds: s.tagIds.includes(id) ? s.tagIds.filter((t) => t !== id) : [...s.tagIds, id],
});
/** Takes the tag out of the filter. */
export const dropTag = (id: number) => (s: LibraryState) => ({ tagIds: s.tagIds.filter((t) => t !== id) });

/** How many of the "More filters" panel's filters are on (author, dates, removed on X). */
export function moreFiltersActive(state: LibraryState): number {
  return (state.author ? 1 : 0) + (state.from || state.to ? 1 : 0) + (state.removed !== "all" ? 1 : 0);
}

/** Filters that live inside a panel and so show as removable chips under the bar. */
export function hasFilterChips(state: LibraryState): boolean {
  return state.tagIds.length > 0 || !!state.author || !!state.from || !!state.to || state.removed !== "all";
}

/** The tag finder's words and the tags matching them (case, width and accents folded). */
export function useTagFinder(tags: readonly TagItem[]) {
  const [find, setFind] = useState("");
  const folded = foldForMatch(find);
  const visible = folded ? tags.filter((t) => foldForMatch(t.name).includes(folded)) : tags;
  return { find, setFind, visible };
}

/**
 * A draft of a value kept in the URL: typed freely, written (trimmed, if changed) by `commit`,
 * and replaced by the URL's value whenever that changes (back/forward, a chip removed).
 */
export function useDraft(value: string, write: (v: string) => void) {
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const commit = () => {
    if (text.trim() !== value) write(text.trim());
  };
  return { text, setText, commit };
}
