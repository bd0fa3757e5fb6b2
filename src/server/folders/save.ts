/**
 * Storing the person's X bookmark folders as a sync read them. Membership is by bookmark: a
 * folder's post ids are matched to the user's bookmarks here; ids X lists that are not in the
 * library are recorded on the folder (`missingIds`), not invented as bookmarks.
 */
import { categoryKey } from "~/lib/names";
import { inTransaction } from "~/server/bookmarks/tag-sql";
import type { Db } from "~/server/db";

/** One folder as read from X. */
export interface FolderRead {
  xId: string;
  name: string;
  /** Post ids X listed, newest first. */
  ids: string[];
  /**
   * Every id of the folder was read. When false (X's newest-ids cap, a refused page), members
   * seen by earlier syncs are kept: an id X did not list may still be in the folder.
   */
  complete: boolean;
}

export interface FolderSaveResult {
  folders: number;
  members: number;
  missing: number;
  removedFolders: number;
}

/** The folder key `folder:name` matches (same normalisation as category names). */
export const folderKey = categoryKey;

/**
 * Saves the folders read in one sync. `listComplete`: X's folder list was read to its end, so
 * folders here that X no longer lists are gone (X's API cannot delete folders, but X's app can).
 */
export async function saveFolders(db: Db, userId: string, read: FolderRead[], listComplete: boolean): Promise<FolderSaveResult> {
  return inTransaction(db, async (c) => {
    let members = 0;
    let missing = 0;
    for (const f of read) {
      const { rows: bookmarks } = await c.query<{ id: string; postId: string }>(
        `SELECT id::text, "postId" FROM "Bookmark" WHERE "userId" = $1 AND "postId" = ANY($2::text[]) AND "deletedAt" IS NULL`,
        [userId, f.ids],
      );
      const here = new Set(bookmarks.map((b) => b.postId));
      const notHere = f.ids.filter((id) => !here.has(id));
      const { rows } = await c.query<{ id: string }>(
        `INSERT INTO "BookmarkFolder" (id, "userId", "xId", name, key, partial, "missingIds", "syncedAt")
         VALUES (gen_random_uuid()::text, $1, $2, $3, $4, $5, $6::text[], timezone('utc', now()))
         ON CONFLICT ("userId", "xId") DO UPDATE SET name = EXCLUDED.name, key = EXCLUDED.key, partial = EXCLUDED.partial,
           "missingIds" = EXCLUDED."missingIds", "syncedAt" = EXCLUDED."syncedAt"
         RETURNING id`,
        [userId, f.xId, f.name, folderKey(f.name), !f.complete, notHere],
      );
      const folderId = rows[0]!.id;
      const ids = bookmarks.map((b) => b.id);
      if (f.complete) {
        await c.query(`DELETE FROM "BookmarkFolderItem" WHERE "folderId" = $1 AND NOT ("bookmarkId" = ANY($2::int8[]))`, [folderId, ids]);
      }
      await c.query(`INSERT INTO "BookmarkFolderItem" ("folderId", "bookmarkId") SELECT $1, unnest($2::int8[]) ON CONFLICT DO NOTHING`, [
        folderId,
        ids,
      ]);
      members += ids.length;
      missing += notHere.length;
    }
    let removedFolders = 0;
    if (listComplete) {
      const r = await c.query(`DELETE FROM "BookmarkFolder" WHERE "userId" = $1 AND NOT ("xId" = ANY($2::text[]))`, [
        userId,
        read.map((f) => f.xId),
      ]);
      removedFolders = r.rowCount ?? 0;
    }
    return { folders: read.length, members, missing, removedFolders };
  });
}

export interface FolderListItem {
  id: string;
  name: string;
  count: number;
  partial: boolean;
  missing: number;
}

/** The user's folders with how many of their bookmarks each holds, by name. */
export async function listFolders(db: Db, userId: string): Promise<FolderListItem[]> {
  const rows = await db.$queryRaw<{ id: string; name: string; partial: boolean; missing: number; count: number }[]>`
    SELECT f.id, f.name, f.partial, coalesce(cardinality(f."missingIds"), 0)::int AS missing,
           (SELECT count(*) FROM "BookmarkFolderItem" i JOIN "Bookmark" b ON b.id = i."bookmarkId"
             WHERE i."folderId" = f.id AND b."deletedAt" IS NULL)::int AS count
    FROM "BookmarkFolder" f WHERE f."userId" = ${userId} ORDER BY lower(f.name), f.id`;
  return rows;
}
