"use client";

import { useTranslations } from "next-intl";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import { NOTE_MAX } from "~/lib/names";
import { Highlighted } from "./highlighted";
import { isComposing, type HighlightSpec } from "./library-client";

/**
 * A bookmark's note under the post. Editing: Ctrl/⌘+Enter or leaving the field saves, Esc
 * cancels. A failed save reopens the editor with the text and the server's reason.
 */
export function NoteEditor({
  note,
  spec,
  draft,
  setDraft,
  onSave,
  pending,
}: {
  note: string;
  spec: HighlightSpec;
  /** The text being edited, or null when not editing. */
  draft: string | null;
  setDraft: (draft: string | null) => void;
  onSave: (note: string) => Promise<unknown>;
  pending: boolean;
}) {
  const tc = useTranslations("common");
  const t = useTranslations("note");
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  // Esc closes the editor; a blur that follows must not save.
  const cancelled = useRef(false);

  const save = () => {
    if (cancelled.current || draft === null) return;
    setDraft(null);
    if (draft.trim() === note.trim()) return;
    const text = draft;
    setError(null);
    onSave(text).catch((err: unknown) => {
      setError(err instanceof Error ? err.message : String(err));
      setDraft(text);
    });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (isComposing(e)) return;
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      save();
    } else if (e.key === "Escape") {
      e.preventDefault();
      e.stopPropagation();
      cancelled.current = true;
      setError(null);
      setDraft(null);
    }
  };

  if (draft !== null) {
    const length = Array.from(draft).length;
    return (
      <div className="mt-2">
        <label htmlFor={id} className="sr-only">
          {t("label")}
        </label>
        <textarea
          id={id}
          data-testid="note-input"
          autoFocus
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onFocus={() => (cancelled.current = false)}
          onBlur={save}
          placeholder={t("placeholder")}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-hint`}
          className="block field-sizing-content max-h-80 min-h-20 w-full resize-y rounded-lg border border-zinc-300 bg-white px-3 py-2 text-sm leading-relaxed text-zinc-900 focus:border-sky-500 focus:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
        <p id={`${id}-hint`} className="mt-1 flex gap-2 text-xs text-zinc-500">
          <span className="flex-1">{t("hint")}</span>
          {length > NOTE_MAX * 0.9 && (
            <span className={length > NOTE_MAX ? "text-red-700 dark:text-red-300" : ""}>{t("length", { length, max: NOTE_MAX })}</span>
          )}
        </p>
        {error && (
          <p role="alert" data-testid="note-error" className="mt-1 text-xs text-red-700 dark:text-red-300">
            {error}
          </p>
        )}
      </div>
    );
  }

  if (!note) return null;
  return (
    <div
      data-testid="note"
      className={`group/note relative mt-2 rounded-lg border-l-4 border-amber-300 bg-amber-50 py-2 pr-14 pl-3 text-sm leading-relaxed text-zinc-800 dark:border-amber-600 dark:bg-amber-950/30 dark:text-zinc-200 ${
        pending ? "opacity-70" : ""
      }`}
    >
      <p className="post-text">
        <Highlighted text={note} spec={spec} />
      </p>
      <button
        type="button"
        onClick={() => {
          setError(null);
          setDraft(note);
        }}
        className="absolute top-1.5 right-1.5 rounded-full px-2 py-0.5 text-xs text-amber-800 hover:bg-amber-100 dark:text-amber-300 dark:hover:bg-amber-900/50"
      >
        {tc("edit")}
      </button>
    </div>
  );
}
