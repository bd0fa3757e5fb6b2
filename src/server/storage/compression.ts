import type { Db } from "~/server/db";
import { poolOf } from "~/server/db";

/**
 * How the large JSON columns are stored: the compression each column is set to (the lz4
 * migration) and the on-disk ratio measured on a sample of rows. Shown on the admin console's
 * Health page and printed by bench:read's seed.
 */

/** The columns the lz4 migration covers (prisma/migrations/*_lz4_json_columns). */
export const COMPRESSED_JSON_COLUMNS = [
  { table: "Post", column: "raw" },
  { table: "Post", column: "entities" },
  { table: "Post", column: "media" },
  { table: "XAuthor", column: "raw" },
  { table: "ImportItem", column: "data" },
] as const;

export interface ColumnCompression {
  table: string;
  column: string;
  /** The column's setting: lz4, pglz, or the server's default_toast_compression. */
  setting: string;
  /** Rows looked at (at most `sample`) with a value. */
  rows: number;
  /** Bytes as stored (compressed when compression paid off) and as the values are in memory. */
  storedBytes: number;
  rawBytes: number;
  /** storedBytes / rawBytes (1 = nothing saved); null with no rows. */
  ratio: number | null;
  /** Sampled values by how they are stored: lz4, pglz, or plain (too small to compress). */
  byMethod: Record<string, number>;
}

export interface StorageCompression {
  /** The server's default for columns without a setting. */
  defaultCompression: string;
  columns: ColumnCompression[];
}

const METHOD: Record<string, string> = { l: "lz4", p: "pglz" };

/** The figure, from at most `sample` rows per column (the first ones the scan finds: cheap on any size). */
export async function storageCompression(db: Db, sample = 2_000): Promise<StorageCompression> {
  const pool = poolOf(db);
  const { rows: def } = await pool.query<{ default_toast_compression: string }>("SHOW default_toast_compression");
  const defaultCompression = def[0]?.default_toast_compression ?? "pglz";
  const columns: ColumnCompression[] = [];
  for (const { table, column } of COMPRESSED_JSON_COLUMNS) {
    const { rows: att } = await pool.query<{ c: string }>(
      `SELECT attcompression::text AS c FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`,
      [`"${table}"`, column],
    );
    const setting = METHOD[att[0]?.c ?? ""] ?? defaultCompression;
    // pg_column_size of the stored value is its on-disk size; of a copy made in memory, its full
    // size. A value stored plain (too small to compress) counts as it is on disk: the in-memory
    // copy's longer length header is not compression.
    const { rows } = await pool.query<{ n: number; stored: string; raw: string; method: string | null }>(
      `SELECT count(*)::int AS n, coalesce(sum(pg_column_size(v)), 0)::text AS stored,
              coalesce(sum(CASE WHEN pg_column_compression(v) IS NULL THEN pg_column_size(v) ELSE pg_column_size(v::text::jsonb) END), 0)::text AS raw,
              pg_column_compression(v) AS method
         FROM (SELECT "${column}" AS v FROM "${table}" WHERE "${column}" IS NOT NULL LIMIT $1) s
        GROUP BY method`,
      [sample],
    );
    const byMethod: Record<string, number> = {};
    let n = 0;
    let stored = 0;
    let raw = 0;
    for (const r of rows) {
      byMethod[r.method ?? "plain"] = r.n;
      n += r.n;
      stored += Number(r.stored);
      raw += Number(r.raw);
    }
    columns.push({ table, column, setting, rows: n, storedBytes: stored, rawBytes: raw, ratio: raw > 0 ? stored / raw : null, byMethod });
  }
  return { defaultCompression, columns };
}
