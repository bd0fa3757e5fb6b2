"use client";

import { useTranslations } from "next-intl";
import { useLibrary } from "./library-context";
import { TagInput } from "./tag-input";

export interface ShownTag {
  id: number | null;
  name: string;
  /** Being added or removed right now. */
  pending: boolean;
}

/**
 * A bookmark's tags: a click on a chip filters the library by that tag, × takes it off, and the
 * field adds one (an existing tag or a new one).
 */
export function TagEditor({
  tags,
  onAdd,
  onRemove,
  error,
}: {
  tags: ShownTag[];
  onAdd: (name: string) => Promise<unknown>;
  onRemove: (tagId: number) => void;
  error: string | null;
}) {
  const tt = useTranslations("tags");
  const library = useLibrary();
  const present = new Set(tags.flatMap((t) => (t.id === null ? [] : [t.id])));
  return (
    <>
      <ul className="contents" aria-label={tt("label")}>
        {tags.map((t) => (
          <li
            key={t.id ?? `new-${t.name}`}
            data-testid="tag-chip"
            data-tag-id={t.id ?? undefined}
            className={`inline-flex max-w-full items-center rounded-full bg-sky-50 text-xs text-sky-800 dark:bg-sky-950 dark:text-sky-200 ${
              t.pending ? "opacity-60" : ""
            }`}
          >
            <button
              type="button"
              disabled={t.id === null}
              title={`Show bookmarks tagged #${t.name}`}
              onClick={() => t.id !== null && library.filterByTag(t.id)}
              className="min-w-0 truncate rounded-l-full py-0.5 pr-1 pl-2 hover:underline"
            >
              #{t.name}
            </button>
            <button
              type="button"
              aria-label={`Remove tag ${t.name}`}
              title="Remove tag"
              disabled={t.id === null || t.pending}
              onClick={() => t.id !== null && onRemove(t.id)}
              className="grid size-5 shrink-0 place-items-center rounded-full text-sky-700/70 hover:bg-sky-100 hover:text-sky-900 dark:text-sky-300/70 dark:hover:bg-sky-900 dark:hover:text-sky-100"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <TagInput
        tags={library.tags}
        exclude={present}
        onAdd={onAdd}
        className="w-28 focus-within:w-44"
        testId="tag-input"
        label={tt("add")}
      />
      {error && (
        <p role="alert" data-testid="tag-error" className="w-full text-xs text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </>
  );
}
