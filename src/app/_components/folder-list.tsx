"use client";

import { useFolders } from "./use-folders";
import type { Patch, LibraryState } from "./use-library-filter";

/**
 * X's bookmark folders as a filter: one chip per folder (with its bookmark count here); picking
 * one shows that folder, picking it again shows everything. Hidden when the person has none.
 */
export function FolderList({ state, update }: { state: LibraryState; update: (patch: Patch) => void }) {
  const folders = useFolders();
  const list = folders.data ?? [];
  if (list.length === 0) return null;
  return (
    <nav aria-label="Folders on X" data-testid="folder-list" className="flex flex-wrap items-center gap-2 py-2 text-sm">
      <span className="text-zinc-500 dark:text-zinc-400">Folders on X:</span>
      {list.map((f) => {
        const on = state.folder === f.id;
        const note = [
          f.partial ? "X showed only part of this folder; members read before are kept" : "",
          f.missing > 0 ? `${f.missing} post${f.missing === 1 ? "" : "s"} in it are not in this library yet` : "",
        ].filter(Boolean);
        return (
          <button
            key={f.id}
            type="button"
            aria-pressed={on}
            title={note.join(". ") || undefined}
            onClick={() => update({ folder: on ? "" : f.id })}
            className={`rounded-full border px-3 py-0.5 ${
              on
                ? "border-sky-600 bg-sky-600 text-white"
                : "border-zinc-300 text-zinc-700 hover:bg-zinc-100 dark:border-zinc-700 dark:text-zinc-300 dark:hover:bg-zinc-800"
            }`}
          >
            {f.name} <span className="tabular-nums opacity-70">{f.count}</span>
            {note.length > 0 && <span aria-hidden> *</span>}
          </button>
        );
      })}
    </nav>
  );
}
