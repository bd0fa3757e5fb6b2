"use client";

import type { ReactNode } from "react";
import { CategoryFilter } from "./category-filter";
import type { CategoryItem, TagItem } from "./library-client";
import { MoreFilters } from "./more-filters";
import { BUTTON, BUTTON_ACTIVE } from "./popover";
import { TagFilter } from "./tag-filter";
import { dropTag, hasFilterChips, languageChoices, shownSort, type Update } from "./use-filter-controls";
import type { LibraryState, MediaMode } from "./use-library-filter";

const SELECT =
  "field-sizing-content rounded-full border border-zinc-300 bg-white py-1 pr-2 pl-3 text-sm text-zinc-700 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:border-zinc-600";
const SELECT_ACTIVE =
  "field-sizing-content rounded-full border border-sky-500 bg-sky-50 py-1 pr-2 pl-3 text-sm text-sky-800 dark:border-sky-600 dark:bg-sky-950 dark:text-sky-200";

/** Newest, oldest, or (with search words) best match first. */
export function SortSelect({ state, update, hasWords }: { state: LibraryState; update: Update; hasWords: boolean }) {
  const sortShown = shownSort(state.sort, hasWords);
  return (
    <label className="flex items-center gap-1.5 text-sm text-zinc-600 dark:text-zinc-400">
      <span>Sort</span>
      <select
        data-testid="sort-select"
        value={sortShown}
        onChange={(e) => update({ sort: e.target.value as LibraryState["sort"] }, "replace")}
        title={hasWords ? undefined : "Relevance ranks search words: type some first"}
        className={SELECT}
      >
        <option value="newest">Newest</option>
        <option value="oldest">Oldest</option>
        <option value="relevance" disabled={!hasWords}>
          Relevance
        </option>
      </select>
    </label>
  );
}

/** A removable summary of a filter that lives inside a panel, so it is visible while on. */
function ActiveChip({ children, onRemove, label }: { children: ReactNode; onRemove: () => void; label: string }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-zinc-200/70 py-0.5 pr-0.5 pl-2.5 text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200">
      {children}
      <button
        type="button"
        aria-label={label}
        onClick={onRemove}
        className="grid size-5 place-items-center rounded-full hover:bg-zinc-300 dark:hover:bg-zinc-700"
      >
        ×
      </button>
    </span>
  );
}

export function FilterBar({
  state,
  update,
  tags,
  categories,
  problems,
  onManageTags,
  onManageCategories,
}: {
  state: LibraryState;
  update: Update;
  tags: readonly TagItem[];
  categories: readonly CategoryItem[];
  /** What is wrong with the filters (not the search box). */
  problems: string[];
  onManageTags: () => void;
  onManageCategories: () => void;
}) {
  const langs = languageChoices(state.lang);
  const tagName = new Map(tags.map((t) => [t.id, t.name]));
  return (
    <div className="mb-2" data-testid="filter-bar">
      <div className="flex flex-wrap items-center gap-2">
        <TagFilter state={state} update={update} tags={tags} onManage={onManageTags} />
        <CategoryFilter state={state} update={update} categories={categories} onManage={onManageCategories} />
        <button
          type="button"
          aria-pressed={state.favorite}
          data-testid="filter-favorite"
          onClick={() => update({ favorite: !state.favorite })}
          className={state.favorite ? BUTTON_ACTIVE : BUTTON}
        >
          <span aria-hidden className={state.favorite ? "text-amber-500" : ""}>
            {state.favorite ? "★" : "☆"}
          </span>
          Favourites
        </button>
        <select
          aria-label="Media"
          data-testid="filter-media"
          value={state.media}
          onChange={(e) => update({ media: e.target.value as MediaMode })}
          className={state.media !== "any" ? SELECT_ACTIVE : SELECT}
        >
          <option value="any">Any media</option>
          <option value="with">With media</option>
          <option value="without">Without media</option>
        </select>
        <select
          aria-label="Language"
          data-testid="filter-lang"
          value={state.lang}
          onChange={(e) => update({ lang: e.target.value })}
          className={state.lang ? SELECT_ACTIVE : SELECT}
        >
          <option value="">Any language</option>
          {langs.map((l) => (
            <option key={l.code} value={l.code}>
              {l.name}
            </option>
          ))}
        </select>
        <MoreFilters state={state} update={update} />
      </div>
      {hasFilterChips(state) && (
        <div className="mt-2 flex flex-wrap items-center gap-1.5" aria-label="Active filters">
          {state.tagIds.map((id, i) => (
            <span key={id} className="contents">
              {i > 0 && <span className="text-xs text-zinc-500">{state.tagMode === "all" ? "and" : "or"}</span>}
              <ActiveChip label={`Stop filtering by tag ${tagName.get(id) ?? id}`} onRemove={() => update(dropTag(id))}>
                <span data-testid="active-tag-filter">#{tagName.get(id) ?? "…"}</span>
              </ActiveChip>
            </span>
          ))}
          {state.author && (
            <ActiveChip label="Stop filtering by author" onRemove={() => update({ author: "" })}>
              by @{state.author.replace(/^@/, "")}
            </ActiveChip>
          )}
          {(state.from || state.to) && (
            <ActiveChip label="Stop filtering by date" onRemove={() => update({ from: "", to: "" })}>
              {state.from && state.to ? `${state.from} – ${state.to}` : state.from ? `from ${state.from}` : `until ${state.to}`}
            </ActiveChip>
          )}
          {state.removed !== "all" && (
            <ActiveChip label="Stop filtering by removed on X" onRemove={() => update({ removed: "all" })}>
              {state.removed === "only" ? "Only removed on X" : "Hiding removed on X"}
            </ActiveChip>
          )}
        </div>
      )}
      {problems.length > 0 && (
        <p role="alert" data-testid="filter-error" className="mt-1.5 text-sm text-red-700 dark:text-red-300">
          {problems.join(" ")}
        </p>
      )}
    </div>
  );
}
