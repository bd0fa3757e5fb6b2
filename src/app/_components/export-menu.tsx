"use client";

import { useTranslations } from "next-intl";
import { filterToSearchParams, type LibraryFilterInput } from "~/shared/filter";
import { MENU_ITEM, MenuList, Popover } from "./popover";

// Labels: export.<format> and export.<format>Hint in the catalogue.
const FORMATS = [{ format: "csv" }, { format: "json" }, { format: "md" }] as const;

/** The download link for a format: the filter travels as JSON (dates as ISO strings). */
export function exportHref(format: (typeof FORMATS)[number]["format"], filter: LibraryFilterInput): string {
  const params = filterToSearchParams(filter);
  return `/api/export?format=${format}&${params.toString()}`;
}

/** Downloads of the current view (the server sends them as attachments). */
export function ExportMenu({ filter, filtered }: { filter: LibraryFilterInput; filtered: boolean }) {
  const t = useTranslations("export");
  return (
    <Popover
      label={
        <>
          <span aria-hidden>⤓</span> {t("button")}
        </>
      }
      panelLabel={t("button")}
      align="right"
      buttonTestId="export-menu"
      panelClassName="w-64"
    >
      {(close) => (
        <>
          <MenuList label={t("formats")}>
            {FORMATS.map((f) => (
              <a
                key={f.format}
                role="menuitem"
                href={exportHref(f.format, filter)}
                download
                data-testid={`export-${f.format}`}
                // Close after the click has started the download.
                onClick={() => setTimeout(close, 0)}
                className={MENU_ITEM}
              >
                <span className="flex-1">{t(f.format)}</span>
                <span className="text-xs text-zinc-600 dark:text-zinc-400">{t(`${f.format}Hint`)}</span>
              </a>
            ))}
          </MenuList>
          <p className="mt-1 border-t border-zinc-200 px-2.5 pt-2 pb-1 text-xs text-zinc-500 dark:border-zinc-800">
            {filtered ? t("filtered") : t("all")}
          </p>
        </>
      )}
    </Popover>
  );
}
