"use client";

import { filterToSearchParams, type LibraryFilterInput } from "~/shared/filter";
import { MENU_ITEM, MenuList, Popover } from "./popover";

const FORMATS = [
  { format: "csv", label: "Export CSV", hint: "for spreadsheets" },
  { format: "json", label: "Export JSON", hint: "everything, for programs" },
  { format: "md", label: "Export Markdown", hint: "for notes apps" },
] as const;

/** The download link for a format: the filter travels as JSON (dates as ISO strings). */
export function exportHref(format: (typeof FORMATS)[number]["format"], filter: LibraryFilterInput): string {
  const params = filterToSearchParams(filter);
  return `/api/export?format=${format}&${params.toString()}`;
}

/** Downloads of the current view (the server sends them as attachments). */
export function ExportMenu({ filter, filtered }: { filter: LibraryFilterInput; filtered: boolean }) {
  return (
    <Popover
      label={
        <>
          <span aria-hidden>⤓</span> Export
        </>
      }
      panelLabel="Export"
      align="right"
      buttonTestId="export-menu"
      panelClassName="w-64"
    >
      {(close) => (
        <>
          <MenuList label="Export formats">
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
                <span className="flex-1">{f.label}</span>
                <span className="text-xs text-zinc-500">{f.hint}</span>
              </a>
            ))}
          </MenuList>
          <p className="mt-1 border-t border-zinc-200 px-2.5 pt-2 pb-1 text-xs text-zinc-500 dark:border-zinc-800">
            {filtered
              ? "Exports everything matching the current filter, not just what is loaded on screen."
              : "Exports everything matching the current filter: with none set, your whole library."}
          </p>
        </>
      )}
    </Popover>
  );
}
