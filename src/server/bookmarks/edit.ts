import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { NOTE_MAX, noteSchema, tagNameSchema } from "~/lib/names";
import type { Db } from "~/server/db";
import { INT4_MAX, serialId } from "~/shared/ids";
import { ownCategory } from "./categories";
import { EditConflictError, type ConflictField } from "./conflict";
import { getBookmark } from "./list";
import { inTransaction, lockUserTags, rewriteTags } from "./tag-sql";
import { ensureTags, ownTags } from "./tags";

const bookmarkId = z.string().regex(/^\d{1,19}$/, "Not a bookmark id.");
const tagId = serialId;
const tagNames = z.array(tagNameSchema).max(20, "Add at most 20 tags at a time.");

/** One bookmark's edit: only the fields given change. */
export const bookmarkEdit = z.object({
  id: bookmarkId,
  note: noteSchema.optional(),
  favorite: z.boolean().optional(),
  /** A category id, or null to clear it. */
  categoryId: tagId.nullable().optional(),
  addTags: tagNames.optional(),
  removeTagIds: z.array(tagId).max(50).optional(),
  /**
   * The bookmark's `version` the edit was made on. When it is no longer current, the edit merges
   * with what changed since (see clashingFields) or is refused with CONFLICT. Absent: applied as is.
   */
  baseVersion: z.number().int().nonnegative().max(INT4_MAX).optional(),
  /** The values the client saw before its edit, for the fields it changes. */
  base: z
    .object({
      note: z
        .string()
        .max(NOTE_MAX * 4)
        .optional(),
      favorite: z.boolean().optional(),
      categoryId: tagId.nullable().optional(),
    })
    .optional(),
});
export type BookmarkEdit = z.infer<typeof bookmarkEdit>;

/** An action on a multi-selection. */
export const bulkAction = z.object({
  ids: z.array(bookmarkId).min(1, "Select at least one bookmark.").max(1_000, "Select at most 1,000 bookmarks at a time."),
  action: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("addTags"), names: tagNames.min(1, "Name a tag to add.") }),
    z.object({ kind: z.literal("removeTags"), tagIds: z.array(tagId).min(1).max(50) }),
    z.object({ kind: z.literal("setCategory"), categoryId: tagId.nullable() }),
    z.object({ kind: z.literal("setFavorite"), favorite: z.boolean() }),
    /** Deletes here only: X is not touched, and a later sync does not bring them back. */
    z.object({ kind: z.literal("delete") }),
    /** Undoes a delete. */
    z.object({ kind: z.literal("restore") }),
  ]),
});
export type BulkAction = z.infer<typeof bulkAction>;

const GONE = "That bookmark is no longer in your library.";

/** How an edit was taken: as sent (its base version was current, or it gave none), or merged. */
export type EditResult = "applied" | "auto_merged";

/** Applies one edit atomically and bumps the bookmark's version once. */
export async function editBookmark(db: Db, userId: string, e: BookmarkEdit): Promise<{ id: string; version: number; result: EditResult }> {
  return inTransaction(db, async (c) => {
    // Tag writes take the user's tag lock before any row lock (as renames and merges do), so the
    // two orders can never deadlock.
    if (e.addTags?.length || e.removeTagIds?.length) await lockUserTags(c, userId);
    const { rows: current } = await c.query<{ note: string; favorite: boolean; categoryId: number | null; version: number }>(
      `SELECT note, favorite, "categoryId", version FROM "Bookmark" WHERE "userId" = $1 AND id = $2::int8 AND "deletedAt" IS NULL FOR UPDATE`,
      [userId, e.id],
    );
    const cur = current[0];
    if (!cur) throw new TRPCError({ code: "NOT_FOUND", message: GONE });
    const stale = e.baseVersion !== undefined && e.baseVersion !== cur.version;
    if (stale) {
      const clashes = clashingFields(e, cur);
      if (clashes.length > 0) {
        const view = await getBookmark(db, userId, e.id, c);
        if (!view) throw new TRPCError({ code: "NOT_FOUND", message: GONE });
        throw new TRPCError({
          code: "CONFLICT",
          message: "This bookmark was changed on another device. Choose which version to keep.",
          cause: new EditConflictError(view, clashes),
        });
      }
    }
    if (e.categoryId) await ownCategory(c, userId, e.categoryId);
    if (e.removeTagIds?.length) await ownTags(c, userId, e.removeTagIds);
    const { rows } = await c.query<{ version: number }>(
      `UPDATE "Bookmark" SET note = coalesce($3, note), favorite = coalesce($4, favorite),
  "categoryId" = CASE WHEN $5::bool THEN $6::int ELSE "categoryId" END, version = version + 1
WHERE "userId" = $1 AND id = $2::int8 AND "deletedAt" IS NULL RETURNING version`,
      [userId, e.id, e.note ?? null, e.favorite ?? null, e.categoryId !== undefined, e.categoryId ?? null],
    );
    const row = rows[0];
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: GONE });
    if (e.addTags?.length || e.removeTagIds?.length) {
      const add = await ensureTags(c, userId, e.addTags ?? []);
      await rewriteTags(c, {
        userId,
        newIds: `ARRAY(SELECT unnest(o."tagIds") EXCEPT SELECT unnest($3::int[])) || $2::int[]`,
        selection: `o.id = $4::int8`,
        values: [add, e.removeTagIds ?? [], e.id],
        bump: false,
      });
    }
    return { id: e.id, version: row.version, result: stale ? "auto_merged" : "applied" };
  });
}

/**
 * For an edit based on an older version: the fields it changes that were changed since, to
 * something else. A field still at the edit's base (untouched elsewhere), or already at the
 * edit's value, merges; a changed field without a base counts as a clash (nothing shows the other
 * side left it alone). Tags always merge: adds and removes commute.
 */
function clashingFields(e: BookmarkEdit, cur: { note: string; favorite: boolean; categoryId: number | null }): ConflictField[] {
  const clashes: ConflictField[] = [];
  const check = <T>(field: ConflictField, next: T | undefined, now: T, base: T | undefined) => {
    if (next === undefined || now === next) return;
    if (base !== undefined && now === base) return;
    clashes.push(field);
  };
  check("note", e.note, cur.note, e.base?.note);
  check("favorite", e.favorite, cur.favorite, e.base?.favorite);
  check("categoryId", e.categoryId, cur.categoryId, e.base?.categoryId);
  return clashes;
}

/** Applies an action to every selected bookmark of the user's (others' ids are ignored). */
export async function bulkEdit(db: Db, userId: string, { ids, action }: BulkAction): Promise<{ changed: string[] }> {
  return inTransaction(db, async (c) => {
    const live = `o.id = ANY($2::int8[]) AND o."deletedAt" IS NULL`;
    const update = async (set: string, where: string, values: unknown[] = []) => {
      const { rows } = await c.query<{ id: string }>(
        `UPDATE "Bookmark" o SET ${set}, version = o.version + 1 WHERE o."userId" = $1 AND ${where} RETURNING o.id::text`,
        [userId, ids, ...values],
      );
      return { changed: rows.map((r) => r.id) };
    };
    switch (action.kind) {
      case "addTags": {
        const add = await ensureTags(c, userId, action.names);
        return { changed: await rewriteTags(c, { userId, newIds: `o."tagIds" || $3::int[]`, selection: live, values: [ids, add] }) };
      }
      case "removeTags":
        await ownTags(c, userId, action.tagIds);
        return {
          changed: await rewriteTags(c, {
            userId,
            newIds: `ARRAY(SELECT unnest(o."tagIds") EXCEPT SELECT unnest($3::int[]))`,
            selection: `${live} AND o."tagIds" && $3::int[]`,
            values: [ids, action.tagIds],
          }),
        };
      case "setCategory":
        if (action.categoryId !== null) await ownCategory(c, userId, action.categoryId);
        return update(`"categoryId" = $3::int`, `${live} AND o."categoryId" IS DISTINCT FROM $3::int`, [action.categoryId]);
      case "setFavorite":
        return update(`favorite = $3`, `${live} AND o.favorite <> $3`, [action.favorite]);
      case "delete":
        return update(`"deletedAt" = timezone('utc', now())`, live);
      case "restore":
        return update(`"deletedAt" = NULL`, `o.id = ANY($2::int8[]) AND o."deletedAt" IS NOT NULL`);
    }
  });
}
