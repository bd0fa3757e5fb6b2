import { stripTagMark, tagKey } from "~/lib/names";
import type { ConflictField } from "~/server/bookmarks/conflict";
import type { CategoryItem } from "./library-client";
import type { Bookmark } from "./list-cache";

/**
 * A card's quick edit as data: what it changes, what it was based on, how it looks applied to
 * (or taken back from) a cached bookmark, and the CONFLICT answer it may get.
 */

export interface EditChanges {
  note?: string;
  favorite?: boolean;
  categoryId?: number | null;
  addTags?: string[];
  removeTagIds?: number[];
}

/** What the person saw when they started the edit: its base. */
export type EditBase = Pick<Bookmark, "id" | "version" | "note" | "favorite" | "category">;

/** A clash shown in the conflict dialog. */
export interface Conflict {
  changes: EditChanges;
  /** The bookmark as this tab had it, with the edit applied. */
  mine: Bookmark;
  current: Bookmark;
  fields: ConflictField[];
}

let tempTagId = -1;

/** The bookmark with an edit applied, as the server will make it (new tags get a temporary id < 0). */
export function applyChanges(b: Bookmark, c: EditChanges, categories: readonly CategoryItem[]): Bookmark {
  let next = b;
  if (c.favorite !== undefined) next = { ...next, favorite: c.favorite };
  if (c.note !== undefined) next = { ...next, note: c.note.trim() };
  if (c.categoryId !== undefined) {
    const cat = c.categoryId === null ? null : categories.find((x) => x.id === c.categoryId);
    next = { ...next, category: cat ? { id: cat.id, name: cat.name, color: cat.color } : cat === null ? null : next.category };
  }
  if (c.removeTagIds?.length) {
    const gone = new Set(c.removeTagIds);
    next = { ...next, tags: next.tags.filter((t) => !gone.has(t.id)) };
  }
  if (c.addTags?.length) {
    const tags = [...next.tags];
    for (const raw of c.addTags) {
      const name = stripTagMark(raw);
      if (!tags.some((t) => tagKey(t.name) === tagKey(name))) tags.push({ id: tempTagId--, name });
    }
    next = { ...next, tags };
  }
  return next;
}

/** Puts back the edited fields as they were before the edit; other fields keep what came since. */
export function undoChanges(b: Bookmark, before: Bookmark, c: EditChanges): Bookmark {
  return {
    ...b,
    favorite: c.favorite !== undefined ? before.favorite : b.favorite,
    note: c.note !== undefined ? before.note : b.note,
    category: c.categoryId !== undefined ? before.category : b.category,
    tags: c.addTags?.length || c.removeTagIds?.length ? before.tags : b.tags,
  };
}

export function baseOf(seen: EditBase, c: EditChanges) {
  const base: { note?: string; favorite?: boolean; categoryId?: number | null } = {};
  if (c.note !== undefined) base.note = seen.note;
  if (c.favorite !== undefined) base.favorite = seen.favorite;
  if (c.categoryId !== undefined) base.categoryId = seen.category?.id ?? null;
  return base;
}

/** The edit's own fields out of a mutation's input (which also carries id, base, client…). */
export function changesOf(vars: EditChanges): EditChanges {
  const { note, favorite, categoryId, addTags, removeTagIds } = vars;
  const c: EditChanges = {};
  if (note !== undefined) c.note = note;
  if (favorite !== undefined) c.favorite = favorite;
  if (categoryId !== undefined) c.categoryId = categoryId;
  if (addTags?.length) c.addTags = addTags;
  if (removeTagIds?.length) c.removeTagIds = removeTagIds;
  return c;
}

interface ConflictData {
  current: Bookmark;
  fields: ConflictField[];
}
/** The CONFLICT answer's payload, when the error is one. */
export function conflictOf(error: unknown): ConflictData | null {
  const data = (error as { data?: { code?: string; conflict?: ConflictData | null } | null } | null)?.data;
  return data?.code === "CONFLICT" && data.conflict ? data.conflict : null;
}

/** A refusal's words as the middle of a sentence. */
export function sentence(text: string): string {
  return text.trim().replace(/[.。]+$/u, "");
}

/** The toast after a refused edit was undone. */
export function refusedText(reason: string | null): string {
  return `Couldn't save: ${sentence(reason ?? "the server refused the change")}. Your change was undone.`;
}
