"use client";

import { useId, useState } from "react";
import type { ConflictField } from "~/server/bookmarks/conflict";
import type { Conflict, EditChanges } from "./edit-changes";
import type { Bookmark } from "./list-cache";
import { Modal } from "./modal";
import { useBookmarkEditor } from "./use-bookmark-editor";

/** Both versions of a clashing edit side by side: keep mine, take theirs, or edit a merged note. */

const FIELD_LABEL: Record<ConflictField, string> = { note: "Note", favorite: "Favourite", categoryId: "Category" };

function valueText(b: Bookmark, field: ConflictField): string {
  if (field === "note") return b.note || "(no note)";
  if (field === "favorite") return b.favorite ? "★ Favourite" : "☆ Not a favourite";
  return b.category?.name ?? "No category";
}

export function ConflictDialog({ conflict, onClose }: { conflict: Conflict; onClose: () => void }) {
  const send = useBookmarkEditor();
  const { mine, current, fields, changes } = conflict;
  const hasNote = fields.includes("note") && changes.note !== undefined;
  const [merge, setMerge] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mergeId = useId();

  const resend = (c: EditChanges) => {
    setBusy(true);
    setError(null);
    // Based on what is saved now: the server takes it (unless it changed yet again).
    send(current, c).then(onClose, (e: unknown) => {
      setBusy(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  return (
    <Modal title="Changed elsewhere" onClose={onClose} testId="conflict-dialog">
      <p className="text-sm text-zinc-700 dark:text-zinc-300">
        This bookmark was changed on another device or tab while you were editing it. Choose which version to keep.
      </p>
      {fields.map((field) => (
        <section key={field} className="mt-4" aria-label={FIELD_LABEL[field]}>
          <h3 className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">{FIELD_LABEL[field]}</h3>
          <div className="mt-1 grid gap-2 sm:grid-cols-2">
            <figure
              data-testid="conflict-mine"
              className="rounded-lg border border-sky-300 bg-sky-50 p-2 dark:border-sky-800 dark:bg-sky-950/40"
            >
              <figcaption className="text-xs font-semibold text-sky-800 dark:text-sky-300">Yours</figcaption>
              <p className="post-text mt-1 text-sm whitespace-pre-wrap">{valueText(mine, field)}</p>
            </figure>
            <figure
              data-testid="conflict-theirs"
              className="rounded-lg border border-amber-300 bg-amber-50 p-2 dark:border-amber-800 dark:bg-amber-950/30"
            >
              <figcaption className="text-xs font-semibold text-amber-800 dark:text-amber-300">Theirs</figcaption>
              <p className="post-text mt-1 text-sm whitespace-pre-wrap">{valueText(current, field)}</p>
            </figure>
          </div>
        </section>
      ))}
      {merge !== null && (
        <div className="mt-4">
          <label htmlFor={mergeId} className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
            Merged note
          </label>
          <textarea
            id={mergeId}
            data-testid="conflict-merge-input"
            autoFocus
            value={merge}
            onChange={(e) => setMerge(e.target.value)}
            className="mt-1 block field-sizing-content max-h-60 min-h-24 w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm focus:border-sky-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
          Couldn&apos;t save: {error}
        </p>
      )}
      <div className="mt-5 flex flex-wrap items-center justify-end gap-2">
        <span className="mr-auto text-xs text-zinc-500">Esc or ✕ closes and keeps theirs.</span>
        <button
          type="button"
          onClick={onClose}
          disabled={busy}
          data-testid="conflict-take-theirs"
          className="rounded-full px-4 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800"
        >
          Take theirs
        </button>
        {hasNote && merge === null && (
          <button
            type="button"
            onClick={() => setMerge([current.note, mine.note].filter(Boolean).join("\n\n"))}
            disabled={busy}
            data-testid="conflict-edit-merge"
            className="rounded-full border border-zinc-300 px-4 py-1.5 text-sm hover:bg-zinc-100 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800"
          >
            Edit a merge
          </button>
        )}
        {merge !== null ? (
          <button
            type="button"
            onClick={() => resend({ ...changes, note: merge })}
            disabled={busy}
            data-testid="conflict-save-merge"
            className="rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
          >
            {busy ? "Saving…" : "Save merge"}
          </button>
        ) : (
          <button
            type="button"
            autoFocus
            onClick={() => resend(changes)}
            disabled={busy}
            data-testid="conflict-keep-mine"
            className="rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 disabled:opacity-50"
          >
            {busy ? "Saving…" : "Keep mine"}
          </button>
        )}
      </div>
    </Modal>
  );
}
