"use client";

import type { TagItem } from "./library-client";
import { BUTTON, BUTTON_ACTIVE, FIELD, Popover } from "./popover";
import { toggleTag, useTagFinder, type Update } from "./use-filter-controls";
import type { LibraryState } from "./use-library-filter";

/** The tags filter: any or all of the chosen tags, with a finder over the user's tags. */
export function TagFilter({
  state,
  update,
  tags,
  onManage,
}: {
  state: LibraryState;
  update: Update;
  tags: readonly TagItem[];
  onManage: () => void;
}) {
  const { find, setFind, visible } = useTagFinder(tags);
  const chosen = new Set(state.tagIds);
  const toggle = (id: number) => update(toggleTag(id));
  const n = state.tagIds.length;
  return (
    <Popover
      label={
        <>
          <span aria-hidden>#</span> Tags
          {n > 0 && <span className="rounded-full bg-sky-600 px-1.5 text-xs text-white tabular-nums">{n}</span>}
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
          <div
            role="radiogroup"
            aria-label="Match"
            className="grid grid-cols-2 gap-1 rounded-full bg-zinc-100 p-0.5 text-xs dark:bg-zinc-800"
          >
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
                  <input
                    type="checkbox"
                    checked={chosen.has(t.id)}
                    onChange={() => toggle(t.id)}
                    className="accent-sky-600"
                    data-testid="tag-filter-option"
                  />
                  <span className="min-w-0 flex-1 truncate">#{t.name}</span>
                  <span className="text-xs text-zinc-500 tabular-nums">{t.count}</span>
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
              <button
                type="button"
                onClick={() => update({ tagIds: [] })}
                className="ml-auto rounded-full px-2 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
              >
                Clear tags
              </button>
            )}
          </div>
        </div>
      )}
    </Popover>
  );
}
