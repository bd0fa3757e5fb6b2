import { randomUUID } from "node:crypto";
import { env } from "~/env";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { closeDb, createPrisma, poolOf, type Db } from "~/server/db";
import type { LimitSettings } from "~/server/limits/rate-limits";
import { createWebServices } from "~/server/services";
import { toAppSession } from "~/server/session";

/** A bookmark for a fixed test corpus: the post, its author and when it was posted. */
export interface SeedPost {
  text: string;
  author?: { username: string; name: string };
  postedAt?: Date;
  lang?: string;
  media?: boolean;
}

let seq = 0;
/** X-like numeric ids, unique per process run. */
function nextId(): string {
  seq += 1;
  return `${Date.now()}${String(seq).padStart(6, "0")}`;
}

/** A fresh app user with no X account (for library tests that need no sync). */
export async function createLibraryUser(db: Db, handle = `lib${randomUUID().slice(0, 8)}`): Promise<{ id: string; handle: string }> {
  const user = await db.user.create({ data: { name: handle, handle } });
  return { id: user.id, handle };
}

/**
 * Saves posts as the user's bookmarks the way a sync does (post, author and the bookmark's copy of
 * them), the first post being the newest bookmarked. Returns the bookmark ids in the same order.
 */
export async function seedBookmarks(db: Db, userId: string, posts: SeedPost[]): Promise<string[]> {
  const pool = poolOf(db);
  const ids: string[] = [];
  const { rows } = await pool.query<{ max: string | null }>(`SELECT max("sortKey")::text AS max FROM "Bookmark" WHERE "userId" = $1`, [
    userId,
  ]);
  let key = BigInt(rows[0]?.max ?? "0") + BigInt(posts.length) + 1n;
  for (const p of posts) {
    const author = p.author ?? { username: "seed_author", name: "Seed Author" };
    const authorId = `a_${author.username}`;
    const postId = nextId();
    const postedAt = p.postedAt ?? new Date("2025-06-01T00:00:00Z");
    const media = p.media
      ? [
          {
            key: `m${postId}`,
            type: "photo",
            url: null,
            previewUrl: null,
            width: 1,
            height: 1,
            altText: null,
            durationMs: null,
            videoUrl: null,
          },
        ]
      : null;
    await pool.query(
      `INSERT INTO "XAuthor" (id, username, name, raw) VALUES ($1, $2, $3, '{}') ON CONFLICT (id) DO UPDATE SET username = $2, name = $3`,
      [authorId, author.username, author.name],
    );
    await pool.query(
      `INSERT INTO "Post" (id, "authorId", text, "postedAt", lang, media, raw) VALUES ($1, $2, $3, $4::timestamptz AT TIME ZONE 'UTC', $5, $6, '{}')`,
      [postId, authorId, p.text, postedAt, p.lang ?? null, media ? JSON.stringify(media) : null],
    );
    key -= 1n;
    const b = await pool.query<{ id: string }>(
      `INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "postText", "postedAt", lang, "hasMedia", "authorId", "authorName", "authorUsername")
       VALUES ($1, $2, $3, $4, $5::timestamptz AT TIME ZONE 'UTC', $6, $7, $8, $9, $10) RETURNING id::text`,
      [userId, postId, key.toString(), p.text, postedAt, p.lang ?? null, !!p.media, authorId, author.name, author.username],
    );
    ids.push(b.rows[0]!.id);
  }
  return ids;
}

/**
 * What library tests need without X: the web's services on the test Postgres and Redis, and a
 * tRPC caller acting as a user (the same procedures, middleware and cache the web uses).
 */
export function libraryHarness(opts: { limits?: Partial<LimitSettings> } = {}) {
  const db = createPrisma();
  const services = createWebServices({ db, redisUrl: env.REDIS_URL, prefix: `xb-lib-${randomUUID().slice(0, 8)}`, limits: opts.limits });
  return {
    db,
    services,
    caller: (userId: string) =>
      createCaller(createTRPCContext({ session: toAppSession({ id: userId }, new Date(Date.now() + 3600_000)), services })),
    async close() {
      await services.close();
      await closeDb(db);
    },
  };
}
