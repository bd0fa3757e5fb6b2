import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { poolOf, type Db } from "~/server/db";

/**
 * Runs `fn` in one transaction on a pooled connection (rolled back if it throws). Races the
 * checks before a write cannot rule out (the category deleted in another tab a moment ago, the
 * same name created twice at once) answer in words rather than as a server error.
 */
export async function inTransaction<T>(db: Db, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await poolOf(db).connect();
  // The server may end a checked-out connection (idle_in_transaction_session_timeout, a restart):
  // pg then emits 'error' on it, which would crash the process without a listener. The query in
  // flight fails with it anyway, and the broken connection is dropped on release below.
  let broken = false;
  const onError = () => {
    broken = true;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const out = await fn(client);
    await client.query("COMMIT");
    return out;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    const code = (e as { code?: unknown }).code;
    if (code === "23503")
      throw new TRPCError({ code: "NOT_FOUND", message: "Something you picked was just deleted. Reload and try again.", cause: e });
    if (code === "23505") throw new TRPCError({ code: "CONFLICT", message: "That name was just taken. Reload and try again.", cause: e });
    throw e;
  } finally {
    client.removeListener("error", onError);
    client.release(broken);
  }
}

/**
 * Serialises a user's tag writes (create, rename, merge, delete, tagging): without it, a rename
 * running next to an add of the same tag could leave the old name in a bookmark's `tagText`, or a
 * merged tag's id in its list. Held until the transaction ends; taking it again is free.
 */
export async function lockUserTags(c: pg.PoolClient, userId: string): Promise<void> {
  await c.query(`SELECT pg_advisory_xact_lock(hashtext('xb:tags:' || $1))`, [userId]);
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
  await lockUserTags(c, opts.userId);
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
