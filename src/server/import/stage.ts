/**
 * An uploaded file's items go to a staging table (ImportItem) in one transaction together with
 * the import's preview: what the file holds against the library and what fetching it will cost.
 * A file that turns out bad half-way rolls back: nothing is written.
 */
import { randomUUID } from "node:crypto";
import { poolOf, type Db } from "~/server/db";
import { isFromX } from "~/server/sync/post-upsert";
import type { ImportFileKind, ParsedItem } from "./parse";

/** Items per staging INSERT (one round trip each). */
const STAGE_BATCH = 2_000;
/** Ids per GET /2/tweets call (X's maximum). */
export const LOOKUP_BATCH = 100;

export interface ImportPreview {
  importId: string;
  kind: ImportFileKind;
  fileName: string;
  total: number;
  alreadyHere: number;
  newCount: number;
  toFetch: number;
  estimatedCalls: number;
  estimatedCostUsd: number;
}

/**
 * Counts the staged items against the user's library: distinct posts, those already bookmarked
 * here (deleted-here ones included: an import does not bring them back), and, of the new ones,
 * the posts to fetch from X: for an archive, those of which X's copy is not stored; for an
 * exporter file (which carries its posts), those only another person's file brought (not
 * trusted: sync/post-upsert.ts). X bills each post it returns; posts already stored are not read
 * again, so none of these was read today.
 */
const PREVIEW = `
WITH dupes AS (
  DELETE FROM "ImportItem" i USING "ImportItem" j
  WHERE i."importId" = $1 AND j."importId" = $1 AND i."postId" = j."postId" AND i.position > j.position
  RETURNING 1
), items AS (
  SELECT DISTINCT ON (i."postId") i."postId",
         EXISTS (SELECT 1 FROM "Bookmark" b WHERE b."userId" = $2 AND b."postId" = i."postId") AS here,
         (SELECT ${isFromX("p")} FROM "Post" p WHERE p.id = i."postId") AS from_x
  FROM "ImportItem" i WHERE i."importId" = $1
), counts AS (
  SELECT count(*)::int AS total, count(*) FILTER (WHERE here)::int AS here,
         count(*) FILTER (WHERE NOT here AND (from_x IS NULL AND $3::bool OR from_x = false))::int AS fetch
  FROM items
)
UPDATE "Import" im SET total = c.total, "alreadyHere" = c.here, "newCount" = c.total - c.here, "toFetch" = c.fetch,
  "estimatedCalls" = (c.fetch + ${LOOKUP_BATCH - 1}) / ${LOOKUP_BATCH}, "estimatedCostUsd" = c.fetch * $4::float8
FROM counts c WHERE im.id = $1
RETURNING im.total, im."alreadyHere", im."newCount", im."toFetch", im."estimatedCalls", im."estimatedCostUsd"`;

export async function stageImport(
  db: Db,
  o: { userId: string; fileName: string; kind: ImportFileKind; items: AsyncIterable<ParsedItem>; readPriceUsd: number },
): Promise<ImportPreview> {
  const client = await poolOf(db).connect();
  const importId = randomUUID();
  try {
    await client.query("BEGIN");
    // Staging a large file is one bounded job (IMPORT_MAX_BYTES), not a request's query: it may take
    // longer than the web pool's statement and idle-in-transaction timeouts (db.ts).
    await client.query("SET LOCAL statement_timeout = '300s'");
    await client.query("SET LOCAL idle_in_transaction_session_timeout = '120s'");
    // One preview per person at a time: an unconfirmed earlier one is replaced.
    await client.query(`DELETE FROM "Import" WHERE "userId" = $1 AND status = 'PREVIEW'`, [o.userId]);
    await client.query(`INSERT INTO "Import" (id, "userId", kind, "fileName") VALUES ($1, $2, $3::"ImportKind", $4)`, [
      importId,
      o.userId,
      o.kind === "archive" ? "ARCHIVE" : "EXPORTER",
      o.fileName.slice(0, 200),
    ]);
    let batch: { position: number; postId: string; data: unknown }[] = [];
    let position = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await client.query(
        `INSERT INTO "ImportItem" ("importId", position, "postId", data)
         SELECT $1, position, "postId", data FROM jsonb_to_recordset($2::jsonb) AS r(position int, "postId" text, data jsonb)`,
        [importId, JSON.stringify(batch)],
      );
      batch = [];
    };
    for await (const item of o.items) {
      batch.push({ position: position++, postId: item.postId, data: item.data });
      if (batch.length >= STAGE_BATCH) await flush();
    }
    await flush();
    const { rows } = await client.query<Omit<ImportPreview, "importId" | "kind" | "fileName">>(PREVIEW, [
      importId,
      o.userId,
      o.kind === "archive",
      o.readPriceUsd,
    ]);
    await client.query("COMMIT");
    return { importId, kind: o.kind, fileName: o.fileName, ...rows[0]! };
  } catch (e) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}

/** The sentence the Import page shows before anything is done. */
export function previewSentence(
  p: Pick<ImportPreview, "kind" | "total" | "alreadyHere" | "newCount" | "toFetch" | "estimatedCalls" | "estimatedCostUsd">,
): string {
  const n = (x: number) => x.toLocaleString("en-US");
  const head = `${n(p.total)} bookmark${p.total === 1 ? "" : "s"}: ${n(p.alreadyHere)} already here, ${n(p.newCount)} new`;
  if (p.toFetch === 0) return `${head}; no API calls needed`;
  return `${head}; ${n(p.toFetch)} post${p.toFetch === 1 ? "" : "s"} to fetch from X, about ${n(p.estimatedCalls)} API call${
    p.estimatedCalls === 1 ? "" : "s"
  }, estimated $${p.estimatedCostUsd.toFixed(2)} (reads already billed today are free)`;
}
