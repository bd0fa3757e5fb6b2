"use client";

import { useTranslations } from "next-intl";
import { useLibrary } from "./library-context";
import { MENU_ITEM, MenuList, Popover } from "./popover";

/** A category's colour dot. */
export function ColorDot({ color, className = "size-2.5" }: { color: string; className?: string }) {
  return <span aria-hidden className={`inline-block shrink-0 rounded-full ${className}`} style={{ backgroundColor: color }} />;
}

/** The list of categories to choose from, with "No category" and a way to manage them. */
export function CategoryMenu({
  current,
  onPick,
  close,
  showNone = true,
}: {
  /** The chosen id, null for none, undefined when nothing is chosen (a bulk edit). */
  current: number | null | undefined;
  onPick: (categoryId: number | null) => void;
  close: () => void;
  showNone?: boolean;
}) {
  const t = useTranslations("category");
  const { categories, openCategoryManager } = useLibrary();
  const pick = (id: number | null) => {
    close();
    if (id !== current) onPick(id);
  };
  return (
    <MenuList label={t("menu")}>
      {categories.length === 0 && <p className="px-2.5 py-1.5 text-zinc-600 dark:text-zinc-400">{t("none")}</p>}
      {categories.map((c) => (
        <button
          key={c.id}
          type="button"
          role="menuitemradio"
          aria-checked={current === c.id}
          onClick={() => pick(c.id)}
          className={MENU_ITEM}
          data-testid="category-option"
        >
          <ColorDot color={c.color} />
          <span className="min-w-0 flex-1 truncate">{c.name}</span>
          {current === c.id && <span aria-hidden>✓</span>}
        </button>
      ))}
      {showNone && (
        <button type="button" role="menuitemradio" aria-checked={current === null} onClick={() => pick(null)} className={MENU_ITEM}>
          <span aria-hidden className="inline-block size-2.5 shrink-0 rounded-full border border-zinc-400" />
          <span className="flex-1 text-zinc-600 dark:text-zinc-400">{t("noCategory")}</span>
          {current === null && <span aria-hidden>✓</span>}
        </button>
      )}
      <div className="my-1 border-t border-zinc-200 dark:border-zinc-800" />
      <button
        type="button"
        role="menuitem"
        onClick={() => {
          close();
          openCategoryManager();
        }}
        className={`${MENU_ITEM} text-sky-700 dark:text-sky-400`}
      >
        {t("manage")}
      </button>
    </MenuList>
  );
}

/** The card's category chip: coloured when set, a quiet "+ Category" when not. A click picks one. */
export function CategoryPicker({
  category,
  onPick,
  pending,
}: {
  category: { id: number; name: string; color: string } | null;
  onPick: (categoryId: number | null) => void;
  pending?: boolean;
}) {
  const t = useTranslations("category");
  return (
    <Popover
      label={
        category ? (
          <>
            <ColorDot color={category.color} />
            <span className="max-w-[12rem] truncate">{category.name}</span>
          </>
        ) : (
          <span>{t("add")}</span>
        )
      }
      title={category ? t("chipTitle", { name: category.name }) : t("set")}
      panelLabel={t("choose")}
      buttonTestId="category-chip"
      panelClassName="w-60"
      buttonClassName={`inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-xs ${pending ? "opacity-60" : ""} ${
        category
          ? "border border-zinc-300 bg-white font-medium text-zinc-800 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200"
          : "text-zinc-500 hover:bg-zinc-100 hover:text-zinc-700 dark:hover:bg-zinc-800 dark:hover:text-zinc-300"
      }`}
    >
      {(close) => <CategoryMenu current={category?.id ?? null} onPick={onPick} close={close} />}
    </Popover>
  );
}
