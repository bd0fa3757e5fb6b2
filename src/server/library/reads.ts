import { z } from "zod";
import { DEFAULT_VIEW_FILTER, LIBRARY_PAGE_SIZE } from "~/lib/library-view";
import { listCategories } from "~/server/bookmarks/categories";
import { countBookmarks, listBookmarks } from "~/server/bookmarks/list";
import { CURSOR_PATTERN } from "~/server/bookmarks/query";
import { listTags } from "~/server/bookmarks/tags";
import type { Db } from "~/server/db";
import { libraryFilter } from "~/shared/filter";

/**
 * The cached reads of a library, as one description each (cache name, cache input, loader). The
 * routers answer with them and the worker's cache warm prepares them, so both produce the same
 * cache keys by construction: nothing here is computed twice.
 */

/** The database a read runs on, or how to choose it when the read misses the cache (web: the replica or the primary). */
export type ReadDb = Db | (() => Promise<Db>);
const dbOf = async (db: ReadDb): Promise<Db> => (typeof db === "function" ? db() : db);

export interface LibraryRead<T> {
  /** The cache's `name` (the procedure path; add a shape version when the answer's shape changes). */
  name: string;
  /** What the key hashes: the procedure's validated input. */
  input: unknown;
  load: () => Promise<T>;
}

export const bookmarksListInput = z.object({
  filter: libraryFilter.optional(),
  cursor: z.string().regex(CURSOR_PATTERN, "Not a valid page cursor.").nullish(),
  limit: z.number().int().min(1).max(100).default(LIBRARY_PAGE_SIZE),
});
export type BookmarksListInput = z.output<typeof bookmarksListInput>;

export const bookmarksCountInput = z.object({ filter: libraryFilter.optional() }).optional();
export type BookmarksCountInput = z.output<typeof bookmarksCountInput>;

export function bookmarkPageRead(
  db: ReadDb,
  userId: string,
  input: BookmarksListInput,
): LibraryRead<Awaited<ReturnType<typeof listBookmarks>>> {
  const filter = input.filter ?? libraryFilter.parse({});
  return { name: "bookmarks.list", input, load: async () => listBookmarks(await dbOf(db), userId, filter, input) };
}

export function bookmarkCountRead(db: ReadDb, userId: string, input: BookmarksCountInput): LibraryRead<number> {
  const filter = input?.filter ?? libraryFilter.parse({});
  return { name: "bookmarks.count", input: filter, load: async () => countBookmarks(await dbOf(db), userId, filter) };
}

export function tagsRead(db: ReadDb, userId: string): LibraryRead<Awaited<ReturnType<typeof listTags>>> {
  return { name: "tags.list", input: null, load: async () => listTags(await dbOf(db), userId) };
}

export function categoriesRead(db: ReadDb, userId: string): LibraryRead<Awaited<ReturnType<typeof listCategories>>> {
  return { name: "categories.list", input: null, load: async () => listCategories(await dbOf(db), userId) };
}

/**
 * The reads behind opening the library without a filter: the first page, the count, the tag and
 * category lists. The inputs go through the procedures' own schemas, as the page's requests do.
 */
export function defaultViewReads(db: ReadDb, userId: string): LibraryRead<unknown>[] {
  return [
    bookmarkPageRead(db, userId, bookmarksListInput.parse({ filter: DEFAULT_VIEW_FILTER, limit: LIBRARY_PAGE_SIZE })),
    bookmarkCountRead(db, userId, bookmarksCountInput.parse({ filter: DEFAULT_VIEW_FILTER })),
    tagsRead(db, userId),
    categoriesRead(db, userId),
  ];
}
