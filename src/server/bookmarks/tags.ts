import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { tagKey } from "~/lib/names";
import { poolOf, type Db } from "~/server/db";
import { inTransaction, lockUserTags, rewriteTags } from "./tag-sql";

/** A library holds at most this many tags (a guard against runaway scripts, not a product limit). */
export const MAX_TAGS_PER_USER = 5_000;

export interface TagView {
  id: number;
  name: string;
  /** Bookmarks carrying the tag (deleted ones not counted). */
  count: number;
}

/** The user's tags with their counts, by name. One pass over the user's tagged bookmarks. */
export async function listTags(db: Db, userId: string): Promise<TagView[]> {
  const { rows } = await poolOf(db).query<TagView>({
    name: "xb-list-tags",
    text: `SELECT t.id, t.name, coalesce(n.count, 0)::int AS count
FROM "Tag" t LEFT JOIN (
  SELECT x AS id, count(*) AS count FROM "Bookmark" b, unnest(b."tagIds") x
  WHERE b."userId" = $1 AND b."deletedAt" IS NULL AND cardinality(b."tagIds") > 0 GROUP BY x
) n ON n.id = t.id
WHERE t."userId" = $1 ORDER BY t.key`,
    values: [userId],
  });
  return rows;
}

/** The ids of the named tags, creating the ones the user does not have yet. */
export async function ensureTags(c: pg.PoolClient, userId: string, names: string[]): Promise<number[]> {
  if (names.length === 0) return [];
  await lockUserTags(c, userId);
  const byKey = new Map(names.map((n) => [tagKey(n), n]));
  const keys = [...byKey.keys()];
  await c.query(
    `INSERT INTO "Tag" ("userId", key, name) SELECT $1, key, name FROM unnest($2::text[], $3::text[]) AS w(key, name)
     ON CONFLICT ("userId", key) DO NOTHING`,
    [userId, keys, [...byKey.values()]],
  );
  // A statement of its own: its snapshot sees a tag another request created a moment ago
  // (the insert above skipped it), which a CTE of the insert's statement would not.
  const { rows } = await c.query<{ id: number }>(`SELECT id FROM "Tag" WHERE "userId" = $1 AND key = ANY($2::text[])`, [userId, keys]);
  if (rows.length !== keys.length) throw new TRPCError({ code: "CONFLICT", message: "A tag changed at the same time. Try again." });
  const { rows: total } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Tag" WHERE "userId" = $1`, [userId]);
  if ((total[0]?.n ?? 0) > MAX_TAGS_PER_USER) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `A library can hold at most ${MAX_TAGS_PER_USER.toLocaleString("en")} tags.` });
  }
  return rows.map((r) => r.id);
}

/** Checks that every id is one of the user's tags (another user's tag ids are never accepted). */
export async function ownTags(c: pg.PoolClient, userId: string, ids: number[]): Promise<void> {
  const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Tag" WHERE "userId" = $1 AND id = ANY($2::int[])`, [
    userId,
    ids,
  ]);
  if ((rows[0]?.n ?? 0) !== new Set(ids).size) throw new TRPCError({ code: "NOT_FOUND", message: "That tag no longer exists." });
}

export async function createTag(db: Db, userId: string, name: string): Promise<{ id: number; name: string }> {
  return inTransaction(db, async (c) => {
    const existing = await c.query<{ id: number; name: string }>(`SELECT id, name FROM "Tag" WHERE "userId" = $1 AND key = $2`, [
      userId,
      tagKey(name),
    ]);
    if (existing.rows[0]) return existing.rows[0];
    const [id] = await ensureTags(c, userId, [name]);
    return { id: id!, name };
  });
}

/**
 * Renames a tag everywhere it is used. A name another tag already has (case-insensitively) is
 * refused with CONFLICT: that is a merge, which the person asks for explicitly.
 */
export async function renameTag(db: Db, userId: string, id: number, name: string): Promise<{ changed: string[] }> {
  return inTransaction(db, async (c) => {
    await lockUserTags(c, userId);
    await ownTags(c, userId, [id]);
    const clash = await c.query<{ name: string }>(`SELECT name FROM "Tag" WHERE "userId" = $1 AND key = $2 AND id <> $3`, [
      userId,
      tagKey(name),
      id,
    ]);
    if (clash.rows[0]) {
      throw new TRPCError({ code: "CONFLICT", message: `You already have a tag named “${clash.rows[0].name}”. Merge the two instead.` });
    }
    await c.query(`UPDATE "Tag" SET name = $3, key = $4 WHERE "userId" = $1 AND id = $2`, [userId, id, name, tagKey(name)]);
    const changed = await rewriteTags(c, { userId, newIds: `o."tagIds"`, selection: `o."tagIds" @> ARRAY[$2::int]`, values: [id] });
    return { changed };
  });
}

/** Merges tags into one: every bookmark with any of `sourceIds` gets `targetId` instead; the sources go. */
export async function mergeTags(db: Db, userId: string, sourceIds: number[], targetId: number): Promise<{ changed: string[] }> {
  const sources = [...new Set(sourceIds)].filter((s) => s !== targetId);
  if (sources.length === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "Pick at least one other tag to merge." });
  return inTransaction(db, async (c) => {
    await lockUserTags(c, userId);
    await ownTags(c, userId, [...sources, targetId]);
    const changed = await rewriteTags(c, {
      userId,
      newIds: `(SELECT array_agg(CASE WHEN x = ANY($2::int[]) THEN $3::int ELSE x END) FROM unnest(o."tagIds") x)`,
      selection: `o."tagIds" && $2::int[]`,
      values: [sources, targetId],
    });
    await c.query(`DELETE FROM "Tag" WHERE "userId" = $1 AND id = ANY($2::int[])`, [userId, sources]);
    return { changed };
  });
}

/** Deletes a tag and takes it off every bookmark (the bookmarks stay). */
export async function deleteTag(db: Db, userId: string, id: number): Promise<{ changed: string[] }> {
  return inTransaction(db, async (c) => {
    await lockUserTags(c, userId);
    await ownTags(c, userId, [id]);
    const changed = await rewriteTags(c, {
      userId,
      newIds: `array_remove(o."tagIds", $2::int)`,
      selection: `o."tagIds" @> ARRAY[$2::int]`,
      values: [id],
    });
    await c.query(`DELETE FROM "Tag" WHERE "userId" = $1 AND id = $2`, [userId, id]);
    return { changed };
  });
}
