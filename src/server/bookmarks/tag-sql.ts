import type pg from "pg";
import { poolOf, type Db } from "~/server/db";

/** Runs `fn` in one transaction on a pooled connection (rolled back if it throws). */
export async function inTransaction<T>(db: Db, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/**
 * Rewrites the tag lists of the selected bookmarks in one statement, and with them `tagText` (the
 * tag names search matches), bumping `version` only where something changed (unless `bump` is
 * false: the caller's own statement bumps it).
 * `newIds` is an expression over `o."tagIds"` (the current list); the result is de-duplicated and
 * sorted so equal sets compare equal. `selection` is a condition over `o`.
 * Returns the ids of the bookmarks changed.
 */
export async function rewriteTags(
  c: pg.PoolClient,
  opts: { userId: string; newIds: string; selection: string; values: unknown[]; bump?: boolean },
): Promise<string[]> {
  const { rows } = await c.query<{ id: string }>(
    `UPDATE "Bookmark" b SET "tagIds" = n.ids, "tagText" = n.text, version = b.version + ${opts.bump === false ? 0 : 1}
FROM (
  SELECT o.id, l.ids,
    (SELECT coalesce(string_agg(t.name, ' ' ORDER BY t.key), '') FROM "Tag" t WHERE t.id = ANY(l.ids)) AS text
  FROM "Bookmark" o,
    LATERAL (SELECT coalesce(ARRAY(SELECT DISTINCT x FROM unnest(${opts.newIds}) AS x WHERE x IS NOT NULL ORDER BY x), '{}') AS ids) l
  WHERE o."userId" = $1 AND (${opts.selection})
) n
WHERE b.id = n.id AND (b."tagIds" IS DISTINCT FROM n.ids OR b."tagText" IS DISTINCT FROM n.text)
RETURNING b.id::text`,
    [opts.userId, ...opts.values],
  );
  return rows.map((r) => r.id);
}
