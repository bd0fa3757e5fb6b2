"use client";

import { useId } from "react";
import { isComposing } from "./library-client";
import { BUTTON, BUTTON_ACTIVE, FIELD, Popover } from "./popover";
import { moreFiltersActive, useDraft, type Update } from "./use-filter-controls";
import type { LibraryState, RemovedMode } from "./use-library-filter";

/** A text field that writes to the URL on Enter or when left, and follows the URL otherwise. */
function AuthorField({ value, update }: { value: string; update: Update }) {
  const id = useId();
  const { text, setText, commit } = useDraft(value, (author) => update({ author }));
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

export function MoreFilters({ state, update }: { state: LibraryState; update: Update }) {
  const id = useId();
  const active = moreFiltersActive(state);
  return (
    <Popover
      label={
        <>More filters{active > 0 && <span className="rounded-full bg-sky-600 px-1.5 text-xs text-white tabular-nums">{active}</span>}</>
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
            <div
              role="radiogroup"
              className="grid grid-cols-3 gap-1 rounded-full bg-zinc-100 p-0.5 text-xs dark:bg-zinc-800"
              data-testid="filter-removed"
            >
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
