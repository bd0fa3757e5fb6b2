import { stripTagMark, tagKey } from "~/lib/names";
import type { BookmarkEdit } from "~/server/bookmarks/edit";
import type { BookmarkView } from "~/server/bookmarks/list";
import type { CategoryItem } from "./library-client";
import type { ShownTag } from "./tag-editor";

export type Edit = Omit<BookmarkEdit, "id"> & { id: string };
export type Field = "favorite" | "category" | "tags" | "note";

/**
 * The bookmark as it will be once the edits in flight land (they show at once, faded). The cached
 * list already has them (optimistic); this keeps them up should a refetch land meanwhile. Tags
 * with a temporary id (< 0) are being added.
 */
export function withPendingEdits(b: BookmarkView, edits: Edit[], categories: readonly CategoryItem[]) {
  let { favorite, note, category } = b;
  let tags: ShownTag[] = b.tags.map((t) =>
    t.id < 0 ? { id: null, name: t.name, pending: true } : { id: t.id, name: t.name, pending: false },
  );
  const pending = new Set<Field>();
  for (const e of edits) {
    if (e.favorite !== undefined) {
      favorite = e.favorite;
      pending.add("favorite");
    }
    if (e.note !== undefined) {
      note = e.note.trim();
      pending.add("note");
    }
    if (e.categoryId !== undefined) {
      category = e.categoryId === null ? null : (categories.find((c) => c.id === e.categoryId) ?? category);
      pending.add("category");
    }
    if (e.removeTagIds?.length) {
      const gone = new Set(e.removeTagIds);
      tags = tags.map((t) => (t.id !== null && gone.has(t.id) ? { ...t, pending: true } : t));
    }
    for (const name of e.addTags ?? []) {
      if (!tags.some((t) => tagKey(t.name) === tagKey(name))) tags.push({ id: null, name: stripTagMark(name), pending: true });
    }
  }
  return { favorite, note, category, tags, pending };
}
