import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { categoryKey } from "~/lib/names";
import { poolOf, type Db } from "~/server/db";
import { inTransaction } from "./tag-sql";

export const MAX_CATEGORIES_PER_USER = 200;

export interface CategoryView {
  id: number;
  name: string;
  color: string;
  count: number;
}

export async function listCategories(db: Db, userId: string): Promise<CategoryView[]> {
  const { rows } = await poolOf(db).query<CategoryView>({
    name: "xb-list-categories",
    text: `SELECT c.id, c.name, c.color,
  (SELECT count(*) FROM "Bookmark" b WHERE b."categoryId" = c.id AND b."deletedAt" IS NULL)::int AS count
FROM "Category" c WHERE c."userId" = $1 ORDER BY c.key`,
    values: [userId],
  });
  return rows;
}

/** Checks the category is the user's (another user's category id is never accepted). */
export async function ownCategory(c: pg.PoolClient, userId: string, id: number): Promise<void> {
  const { rows } = await c.query(`SELECT 1 FROM "Category" WHERE "userId" = $1 AND id = $2`, [userId, id]);
  if (rows.length === 0) throw new TRPCError({ code: "NOT_FOUND", message: "That category no longer exists." });
}

async function refuseClash(c: pg.PoolClient, userId: string, name: string, exceptId: number | null): Promise<void> {
  const { rows } = await c.query<{ name: string }>(`SELECT name FROM "Category" WHERE "userId" = $1 AND key = $2 AND id <> $3`, [
    userId,
    categoryKey(name),
    exceptId ?? 0,
  ]);
  if (rows[0]) throw new TRPCError({ code: "CONFLICT", message: `You already have a category named “${rows[0].name}”.` });
}

export async function createCategory(db: Db, userId: string, input: { name: string; color: string }): Promise<CategoryView> {
  return inTransaction(db, async (c) => {
    await refuseClash(c, userId, input.name, null);
    const { rows: n } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Category" WHERE "userId" = $1`, [userId]);
    if ((n[0]?.n ?? 0) >= MAX_CATEGORIES_PER_USER) {
      throw new TRPCError({ code: "BAD_REQUEST", message: `A library can hold at most ${MAX_CATEGORIES_PER_USER} categories.` });
    }
    const { rows } = await c.query<CategoryView>(
      `INSERT INTO "Category" ("userId", name, key, color) VALUES ($1, $2, $3, $4) RETURNING id, name, color, 0 AS count`,
      [userId, input.name, categoryKey(input.name), input.color],
    );
    return rows[0]!;
  });
}

/** Renames or recolours a category; its bookmarks change with it (their version is bumped). */
export async function updateCategory(
  db: Db,
  userId: string,
  input: { id: number; name?: string; color?: string },
): Promise<{ changed: string[] }> {
  return inTransaction(db, async (c) => {
    await ownCategory(c, userId, input.id);
    if (input.name !== undefined) await refuseClash(c, userId, input.name, input.id);
    await c.query(
      `UPDATE "Category" SET name = coalesce($3, name), key = coalesce($4, key), color = coalesce($5, color) WHERE "userId" = $1 AND id = $2`,
      [userId, input.id, input.name ?? null, input.name === undefined ? null : categoryKey(input.name), input.color ?? null],
    );
    const { rows } = await c.query<{ id: string }>(
      `UPDATE "Bookmark" SET version = version + 1 WHERE "userId" = $1 AND "categoryId" = $2 RETURNING id::text`,
      [userId, input.id],
    );
    return { changed: rows.map((r) => r.id) };
  });
}

/** Deletes a category; its bookmarks stay, without a category. */
export async function deleteCategory(db: Db, userId: string, id: number): Promise<{ changed: string[] }> {
  return inTransaction(db, async (c) => {
    await ownCategory(c, userId, id);
    const { rows } = await c.query<{ id: string }>(
      `UPDATE "Bookmark" SET "categoryId" = NULL, version = version + 1 WHERE "userId" = $1 AND "categoryId" = $2 RETURNING id::text`,
      [userId, id],
    );
    await c.query(`DELETE FROM "Category" WHERE "userId" = $1 AND id = $2`, [userId, id]);
    return { changed: rows.map((r) => r.id) };
  });
}
