"use client";

import type { ReactNode } from "react";
import { ColorDot } from "./category-picker";
import type { CategoryItem } from "./library-client";
import { BUTTON, BUTTON_ACTIVE, MENU_ITEM, MenuList, Popover } from "./popover";
import type { Update } from "./use-filter-controls";
import type { LibraryState } from "./use-library-filter";

/** One category, bookmarks without one, or any. */
export function CategoryFilter({
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
    <button
      key={key}
      type="button"
      role="menuitemradio"
      aria-checked={current === value}
      className={MENU_ITEM}
      onClick={() => update({ category: value })}
    >
      {body}
      {current === value && (
        <span aria-hidden className="ml-auto">
          ✓
        </span>
      )}
    </button>
  );
  return (
    <Popover
      label={label}
      panelLabel="Filter by category"
      buttonTestId="filter-category"
      buttonClassName={current !== null ? BUTTON_ACTIVE : BUTTON}
      panelClassName="w-60"
    >
      {(close) => (
        <MenuList label="Category">
          {item(null, <span>Any category</span>, "any")}
          {categories.map((c) =>
            item(
              c.id,
              <>
                <ColorDot color={c.color} />
                <span className="min-w-0 flex-1 truncate">{c.name}</span>
                <span className="text-xs text-zinc-500 tabular-nums">{c.count}</span>
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
