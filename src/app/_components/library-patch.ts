import type { BookmarkPatch } from "~/server/library/changes";
import type { CategoryItem } from "./library-client";
import type { Bookmark } from "./list-cache";

/**
 * A change made elsewhere to one bookmark (another tab or device), applied to this tab's cached
 * copy: the change event carries the fields the edit set and the version it made, so the card
 * shows it without a refetch. Only views the change may reorder, add to or drop from, and counts,
 * are refetched.
 */

/**
 * The cached bookmark with the patch applied; the same object when it already has this version
 * or a newer one; null when the patch cannot be applied here (its category is not in this tab's
 * list yet: refetch instead).
 */
export function applyBookmarkPatch(b: Bookmark, p: BookmarkPatch, categories: readonly CategoryItem[]): Bookmark | null {
  if (b.version >= p.version) return b;
  let next: Bookmark = { ...b, version: p.version };
  if (p.favorite !== undefined) next = { ...next, favorite: p.favorite };
  if (p.note !== undefined) next = { ...next, note: p.note };
  if (p.categoryId !== undefined) {
    if (p.categoryId === null) next = { ...next, category: null };
    else {
      const cat = categories.find((c) => c.id === p.categoryId);
      if (!cat) return null;
      next = { ...next, category: { id: cat.id, name: cat.name, color: cat.color } };
    }
  }
  return next;
}

/** A cached list's or count's filter, as its query key holds it (absent: the whole library). */
interface CachedFilter {
  q?: string;
  favorite?: boolean;
  categoryId?: number | null;
}

/**
 * Whether a view (list or count) with this filter may show a different set or order of bookmarks
 * after the patch: it filters on a field the patch changes, or searches (words may match the note;
 * `is:` and `category:` words filter on the rest). Its own copy of the bookmark is patched anyway.
 */
export function viewNeedsRefetch(filter: CachedFilter | undefined, p: BookmarkPatch): boolean {
  if (!filter) return false;
  if (filter.q?.trim()) return true;
  if (p.favorite !== undefined && filter.favorite !== undefined) return true;
  if (p.categoryId !== undefined && filter.categoryId !== undefined) return true;
  return false;
}

/** The filter in a tRPC query key (`[path, { input: { filter }, type }]`). */
export function filterOfKey(queryKey: readonly unknown[]): CachedFilter | undefined {
  const input = (queryKey[1] as { input?: { filter?: CachedFilter } } | undefined)?.input;
  return input?.filter;
}
