"use client";

import { useId, useState, type ReactNode } from "react";
import { ColorDot } from "./category-picker";
import { foldForMatch, isComposing, type CategoryItem, type TagItem } from "./library-client";
import { BUTTON, BUTTON_ACTIVE, FIELD, MENU_ITEM, MenuList, Popover } from "./popover";
import type { LibraryState, MediaMode, Patch, RemovedMode, UpdateMode } from "./use-library-filter";

type Update = (patch: Patch, mode?: UpdateMode) => void;

const LANGUAGES: { code: string; name: string }[] = [
  { code: "ja", name: "日本語" },
  { code: "en", name: "English" },
];

const SELECT =
  "field-sizing-content rounded-full border border-zinc-300 bg-white py-1 pr-2 pl-3 text-sm text-zinc-700 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:border-zinc-600";
const SELECT_ACTIVE =
  "field-sizing-content rounded-full border border-sky-500 bg-sky-50 py-1 pr-2 pl-3 text-sm text-sky-800 dark:border-sky-600 dark:bg-sky-950 dark:text-sky-200";

function TagFilter({ state, update, tags, onManage }: { state: LibraryState; update: Update; tags: readonly TagItem[]; onManage: () => void }) {
  const [find, setFind] = useState("");
  const chosen = new Set(state.tagIds);
  const folded = foldForMatch(find);
  const visible = folded ? tags.filter((t) => foldForMatch(t.name).includes(folded)) : tags;
  const toggle = (id: number) =>
    update((s) => ({ tagIds: s.tagIds.includes(id) ? s.tagIds.filter((t) => t !== id) : [...s.tagIds, id] }));
  const n = state.tagIds.length;
  return (
    <Popover
      label={
        <>
          <span aria-hidden>#</span> Tags{n > 0 && <span className="rounded-full bg-sky-600 px-1.5 text-xs text-white tabular-nums">{n}</span>}
        </>
      }
      panelLabel="Filter by tags"
      buttonTestId="filter-tags"
      panelTestId="tag-filter-panel"
      buttonClassName={n > 0 ? BUTTON_ACTIVE : BUTTON}
      panelClassName="w-72"
    >
      {(close) => (
        <div className="flex flex-col gap-2">
          <div role="radiogroup" aria-label="Match" className="grid grid-cols-2 gap-1 rounded-full bg-zinc-100 p-0.5 text-xs dark:bg-zinc-800">
            {(["any", "all"] as const).map((mode) => (
              <button
                key={mode}
                type="button"
                role="radio"
                aria-checked={state.tagMode === mode}
                data-testid={`tag-mode-${mode}`}
                onClick={() => update({ tagMode: mode })}
                className={`rounded-full px-2 py-1 ${state.tagMode === mode ? "bg-white font-semibold shadow-sm dark:bg-zinc-950" : "text-zinc-600 dark:text-zinc-400"}`}
              >
                {mode === "any" ? "Any of these" : "All of these"}
              </button>
            ))}
          </div>
          <input
            type="search"
            value={find}
            onChange={(e) => setFind(e.target.value)}
            placeholder="Find a tag…"
            aria-label="Find a tag"
            data-autofocus
            className={`${FIELD} w-full`}
          />
          <ul className="max-h-64 overflow-y-auto" aria-label="Tags">
            {tags.length === 0 && <li className="px-2 py-1.5 text-zinc-500">No tags yet. Add one on any bookmark.</li>}
            {tags.length > 0 && visible.length === 0 && <li className="px-2 py-1.5 text-zinc-500">No tag matches.</li>}
            {visible.map((t) => (
              <li key={t.id}>
                <label className="flex cursor-pointer items-center gap-2 rounded-lg px-2 py-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
                  <input type="checkbox" checked={chosen.has(t.id)} onChange={() => toggle(t.id)} className="accent-sky-600" data-testid="tag-filter-option" />
                  <span className="min-w-0 flex-1 truncate">#{t.name}</span>
                  <span className="text-xs tabular-nums text-zinc-500">{t.count}</span>
                </label>
              </li>
            ))}
          </ul>
          <div className="flex items-center gap-2 border-t border-zinc-200 pt-2 dark:border-zinc-800">
            <button
              type="button"
              onClick={() => {
                close();
                onManage();
              }}
              className="rounded-full px-2 py-1 text-sky-700 hover:bg-zinc-100 dark:text-sky-400 dark:hover:bg-zinc-800"
            >
              Manage tags…
            </button>
            {n > 0 && (
              <button type="button" onClick={() => update({ tagIds: [] })} className="ml-auto rounded-full px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800">
                Clear tags
              </button>
            )}
          </div>
        </div>
      )}
    </Popover>
  );
}

function CategoryFilter({
  state,
  update,
  categories,
  onManage,
}: {
  state: LibraryState;
  update: Update;
  categories: readonly CategoryItem[];
  onManage: () => void;
}) {
  const current = state.category;
  const chosen = typeof current === "number" ? categories.find((c) => c.id === current) : undefined;
  const label =
    current === "none" ? (
      "No category"
    ) : chosen ? (
      <>
        <ColorDot color={chosen.color} />
        <span className="max-w-[10rem] truncate">{chosen.name}</span>
      </>
    ) : (
      "Category"
    );
  const item = (value: number | "none" | null, body: ReactNode, key: string) => (
    <button key={key} type="button" role="menuitemradio" aria-checked={current === value} className={MENU_ITEM} onClick={() => update({ category: value })}>
      {body}
      {current === value && <span aria-hidden className="ml-auto">✓</span>}
    </button>
  );
  return (
    <Popover label={label} panelLabel="Filter by category" buttonTestId="filter-category" buttonClassName={current !== null ? BUTTON_ACTIVE : BUTTON} panelClassName="w-60">
      {(close) => (
        <MenuList label="Category">
          {item(null, <span>Any category</span>, "any")}
          {categories.map((c) =>
            item(
              c.id,
              <>
                <ColorDot color={c.color} />
                <span className="min-w-0 flex-1 truncate">{c.name}</span>
                <span className="text-xs tabular-nums text-zinc-500">{c.count}</span>
              </>,
              String(c.id),
            ),
          )}
          {item("none", <span className="text-zinc-600 dark:text-zinc-400">No category</span>, "none")}
          <div className="my-1 border-t border-zinc-200 dark:border-zinc-800" />
          <button
            type="button"
            role="menuitem"
            className={`${MENU_ITEM} text-sky-700 dark:text-sky-400`}
            onClick={() => {
              close();
              onManage();
            }}
          >
            Manage categories…
          </button>
        </MenuList>
      )}
    </Popover>
  );
}

/** A text field that writes to the URL on Enter or when left, and follows the URL otherwise. */
function AuthorField({ value, update }: { value: string; update: Update }) {
  const id = useId();
  const [text, setText] = useState(value);
  const [seen, setSeen] = useState(value);
  if (value !== seen) {
    setSeen(value);
    setText(value);
  }
  const commit = () => {
    if (text.trim() !== value) update({ author: text.trim() });
  };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-zinc-600 dark:text-zinc-400">
        Author
      </label>
      <input
        id={id}
        type="text"
        data-testid="filter-author"
        value={text}
        placeholder="@handle"
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !isComposing(e)) {
            e.preventDefault();
            commit();
          }
        }}
        className={FIELD}
      />
    </div>
  );
}

function MoreFilters({ state, update }: { state: LibraryState; update: Update }) {
  const id = useId();
  const active = (state.author ? 1 : 0) + (state.from || state.to ? 1 : 0) + (state.removed !== "all" ? 1 : 0);
  return (
    <Popover
      label={
        <>
          More filters{active > 0 && <span className="rounded-full bg-sky-600 px-1.5 text-xs text-white tabular-nums">{active}</span>}
        </>
      }
      panelLabel="More filters"
      buttonTestId="filter-more"
      buttonClassName={active > 0 ? BUTTON_ACTIVE : BUTTON}
      panelClassName="w-72 p-3"
    >
      {() => (
        <div className="flex flex-col gap-3">
          <AuthorField value={state.author} update={update} />
          <fieldset className="flex flex-col gap-1">
            <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Posted</legend>
            <div className="flex items-center gap-2">
              <label className="sr-only" htmlFor={`${id}-from`}>
                From
              </label>
              <input
                id={`${id}-from`}
                type="date"
                data-testid="filter-from"
                value={state.from}
                max={state.to || undefined}
                onChange={(e) => update({ from: e.target.value })}
                className={`${FIELD} min-w-0 flex-1`}
              />
              <span aria-hidden className="text-zinc-400">
                –
              </span>
              <label className="sr-only" htmlFor={`${id}-to`}>
                To
              </label>
              <input
                id={`${id}-to`}
                type="date"
                data-testid="filter-to"
                value={state.to}
                min={state.from || undefined}
                onChange={(e) => update({ to: e.target.value })}
                className={`${FIELD} min-w-0 flex-1`}
              />
            </div>
            <p className="text-xs text-zinc-500">Both days included, in your time zone.</p>
          </fieldset>
          <fieldset>
            <legend className="mb-1 text-xs font-medium text-zinc-600 dark:text-zinc-400">Removed on X</legend>
            <div role="radiogroup" className="grid grid-cols-3 gap-1 rounded-full bg-zinc-100 p-0.5 text-xs dark:bg-zinc-800" data-testid="filter-removed">
              {(
                [
                  ["all", "All"],
                  ["only", "Only removed"],
                  ["hide", "Hide removed"],
                ] as [RemovedMode, string][]
              ).map(([mode, text]) => (
                <button
                  key={mode}
                  type="button"
                  role="radio"
                  aria-checked={state.removed === mode}
                  onClick={() => update({ removed: mode })}
                  className={`rounded-full px-2 py-1 ${state.removed === mode ? "bg-white font-semibold shadow-sm dark:bg-zinc-950" : "text-zinc-600 dark:text-zinc-400"}`}
                >
                  {text}
                </button>
              ))}
            </div>
          </fieldset>
        </div>
      )}
    </Popover>
  );
}

/** Newest, oldest, or (with search words) best match first. */
export function SortSelect({ state, update, hasWords }: { state: LibraryState; update: Update; hasWords: boolean }) {
  const sortShown = state.sort === "relevance" && !hasWords ? "newest" : state.sort;
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
      <button type="button" aria-label={label} onClick={onRemove} className="grid size-5 place-items-center rounded-full hover:bg-zinc-300 dark:hover:bg-zinc-700">
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
  const langs = state.lang && !LANGUAGES.some((l) => l.code === state.lang) ? [...LANGUAGES, { code: state.lang, name: state.lang }] : LANGUAGES;
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
      {(state.tagIds.length > 0 || state.author || state.from || state.to || state.removed !== "all") && (
        <div className="mt-2 flex flex-wrap items-center gap-1.5" aria-label="Active filters">
          {state.tagIds.map((id, i) => (
            <span key={id} className="contents">
              {i > 0 && <span className="text-xs text-zinc-500">{state.tagMode === "all" ? "and" : "or"}</span>}
              <ActiveChip label={`Stop filtering by tag ${tagName.get(id) ?? id}`} onRemove={() => update((s) => ({ tagIds: s.tagIds.filter((t) => t !== id) }))}>
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
