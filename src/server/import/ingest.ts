/**
 * Saving an import batch by batch: each batch — authors, posts, "deleted on X" stubs, the user's
 * new bookmarks and the import's checkpoint and counts — is one statement, so it lands whole or
 * not at all, and a crashed job resumes at the checkpoint without losing or doubling anything.
 * Posts are stored once whoever brought them, written as a sync writes them (sync/post-upsert.ts:
 * X's copy is the shared truth; an exporter file's copy is stored only where nothing is, and never
 * trusted for anyone else). An import never touches a bookmark already here (synced, imported
 * before, or deleted here).
 */
import type { Import } from "~/generated/prisma/client";
import { cardText } from "~/server/bookmarks/card-text";
import { poolOf, type Db } from "~/server/db";
import { bookmarkRow } from "~/server/sync/ingest";
import { FILE_SOURCE, isFromX, upsertAuthors, upsertPosts } from "~/server/sync/post-upsert";
import type { AuthorRow, PostRow } from "~/server/x/map";

/** X's snowflake epoch: a post id's high bits are its creation time in ms since then. */
const SNOWFLAKE_EPOCH = 1288834974657n;

/** When a post was created, from its id alone (all an archive gives of a deleted post). */
export function postTimeFromId(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + SNOWFLAKE_EPOCH));
}

/** A staged item with what the library already knows about it. */
export interface StagedItem {
  position: number;
  postId: string;
  data: unknown;
  /** Already bookmarked by this user. */
  here: boolean;
  /** X's copy of the post is stored (by anyone): its read-model facts, to bookmark it without asking X. */
  stored: {
    text: string;
    postedAt: Date;
    lang: string | null;
    hasMedia: boolean;
    authorId: string;
    authorName: string;
    authorUsername: string;
    cardText: string;
  } | null;
  /** Only an uploaded file's copy is stored (someone's word, not X's): fetched from X before use. */
  unverified: boolean;
}

/** Up to `limit` staged items from `position` on, in the file's order. */
export async function stagedItems(db: Db, imp: Pick<Import, "id" | "userId">, position: number, limit: number): Promise<StagedItem[]> {
  const { rows } = await poolOf(db).query<{
    position: number;
    postId: string;
    data: unknown;
    here: boolean;
    stored: boolean;
    unverified: boolean;
    entities: PostRow["entities"];
    media: PostRow["media"];
    quotedText: string | null;
    quotedMedia: PostRow["media"];
    text: string | null;
    postedAt: Date | null;
    lang: string | null;
    hasMedia: boolean;
    authorId: string | null;
    name: string | null;
    username: string | null;
  }>({
    // Unnamed on purpose: a named statement switches to a generic plan after five runs, which
    // (not knowing the import's size) was 10x slower here; planning it each time costs ~1 ms.
    text: `SELECT i.position, i."postId", i.data, (b.id IS NOT NULL) AS here,
             (p.id IS NOT NULL AND ${isFromX("p")}) AS stored, (p.id IS NOT NULL AND NOT ${isFromX("p")}) AS unverified,
             p.entities, p.media, q.text AS "quotedText", q.media AS "quotedMedia",
             p.text, p."postedAt" AT TIME ZONE 'UTC' AS "postedAt", p.lang, (p.media IS NOT NULL AND p.media <> 'null'::jsonb AND jsonb_array_length(p.media) > 0) AS "hasMedia",
             p."authorId", a.name, a.username
           FROM "ImportItem" i
           LEFT JOIN "Bookmark" b ON b."userId" = $2 AND b."postId" = i."postId"
           LEFT JOIN "Post" p ON p.id = i."postId"
           LEFT JOIN "XAuthor" a ON a.id = p."authorId"
           LEFT JOIN "Post" q ON q.id = p."quotedId"
           WHERE i."importId" = $1 AND i.position >= $3
           ORDER BY i.position LIMIT $4`,
    values: [imp.id, imp.userId, position, limit],
  });
  return rows.map((r) => ({
    position: r.position,
    postId: r.postId,
    data: r.data,
    here: r.here,
    stored: r.stored
      ? {
          text: r.text ?? "",
          postedAt: r.postedAt ?? postTimeFromId(r.postId),
          lang: r.lang,
          hasMedia: r.hasMedia,
          authorId: r.authorId ?? "",
          authorName: r.name ?? "",
          authorUsername: r.username ?? "",
          cardText: cardText(r, r.quotedText === null ? null : { text: r.quotedText, media: r.quotedMedia }),
        }
      : null,
    unverified: r.unverified,
  }));
}

export interface ImportBatch {
  /** The checkpoint after this batch: the first position not yet worked through. */
  nextPosition: number;
  authors: AuthorRow[];
  posts: PostRow[];
  /** New bookmarks of this user: posts of this batch or already stored, with their file position. */
  bookmarks: { position: number; post: PostRow | null; stored: StagedItem["stored"]; postId: string; author?: AuthorRow }[];
  /** Posts the batch's posts quote (X's includes), for their cards' searchable text. */
  referenced?: PostRow[];
  /** Ids X no longer serves: kept as "deleted on X" stubs. */
  deletedOnX: string[];
  /** Posts X returned (billed). */
  fetched: number;
  /** Items already in the library. */
  skipped: number;
  apiCalls: number;
}

const SAVE_BATCH = `
WITH authors AS (
  ${upsertAuthors("$1")}
), posts AS (
  ${upsertPosts("$2")}
), stubs AS (
  -- A post X no longer serves: a stub with what the file had (an archive: the id alone).
  INSERT INTO "Post" (id, text, "postedAt", raw, "deletedOnXAt", "fetchedAt", "updatedAt")
  SELECT s.id, '', timezone('utc', s."postedAt"), '{}'::jsonb, timezone('utc', now()), timezone('utc', now()), timezone('utc', now())
  FROM jsonb_to_recordset($6::jsonb) AS s(id text, "postedAt" timestamptz)
  ON CONFLICT (id) DO UPDATE SET "deletedOnXAt" = coalesce("Post"."deletedOnXAt", EXCLUDED."deletedOnXAt")
  RETURNING 1
), bookmarks AS (
  INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "firstSeenAt", "lastSeenAt", source, "importedAt", "importId",
    "postText", "postedAt", lang, "hasMedia", "authorId", "authorName", "authorUsername", "cardText")
  SELECT $4, b."postId", b."sortKey", timezone('utc', now()), timezone('utc', now()), $11::"BookmarkSource", timezone('utc', now()), $5,
    b."postText", timezone('utc', b."postedAt"), b.lang, b."hasMedia", b."authorId", b."authorName", b."authorUsername", b."cardText"
  FROM jsonb_to_recordset($3::jsonb) AS b("postId" text, "sortKey" int8, "postText" text, "postedAt" timestamptz,
    lang text, "hasMedia" bool, "authorId" text, "authorName" text, "authorUsername" text, "cardText" text)
  ON CONFLICT ("userId", "postId") DO NOTHING
  RETURNING 1
)
UPDATE "Import" i SET position = $7, fetched = i.fetched + $8, "postsRead" = i."postsRead" + $8,
  "billableReads" = i."billableReads" + $8, "costUsd" = i."costUsd" + $8 * $12::float8, "apiCalls" = i."apiCalls" + $10,
  saved = i.saved + (SELECT count(*) FROM bookmarks)::int,
  skipped = i.skipped + $9 + (jsonb_array_length($3::jsonb) - (SELECT count(*) FROM bookmarks))::int,
  "deletedOnX" = i."deletedOnX" + jsonb_array_length($6::jsonb), "waitingUntil" = NULL
WHERE i.id = $5
RETURNING i.*`;

/** Saves one batch with its checkpoint (see SAVE_BATCH); returns the import as stored now. */
export async function saveImportBatch(db: Db, imp: Import, batch: ImportBatch, readPriceUsd: number): Promise<Import> {
  if (imp.orderFloor === null) throw new Error("the import has no order floor yet");
  const floor = imp.orderFloor;
  // File position p gets floor - 1 - p: X's order of the file, below every bookmark the user had.
  const key = (position: number) => floor - 1n - BigInt(position);
  const authors = new Map(batch.authors.map((a) => [a.id, a]));
  // Each post once (X's copy over a file's, should both come): an upsert may touch a row only once.
  const fromFile = (p: PostRow) => (p.raw as { source?: unknown } | null)?.source === FILE_SOURCE;
  const posts = new Map<string, PostRow>();
  for (const p of [...batch.posts, ...(batch.referenced ?? [])]) {
    const had = posts.get(p.id);
    if (!had || (fromFile(had) && !fromFile(p))) posts.set(p.id, p);
  }
  const quotedOf = (p: PostRow) => (p.quotedId ? posts.get(p.quotedId) : undefined);
  const rows = batch.bookmarks.map((b) => {
    if (b.post) return bookmarkRow(b.post, authors.get(b.post.authorId), key(b.position), quotedOf(b.post));
    const s = b.stored!;
    return {
      postId: b.postId,
      sortKey: key(b.position).toString(),
      postText: s.text,
      postedAt: s.postedAt,
      lang: s.lang,
      hasMedia: s.hasMedia,
      authorId: s.authorId,
      authorName: s.authorName,
      authorUsername: s.authorUsername,
      cardText: s.cardText,
    };
  });
  const { rows: out } = await poolOf(db).query<Import>({
    name: "xb-import-batch",
    text: SAVE_BATCH,
    values: [
      JSON.stringify(batch.authors),
      JSON.stringify([...posts.values()]),
      JSON.stringify(rows),
      imp.userId,
      imp.id,
      JSON.stringify(batch.deletedOnX.map((id) => ({ id, postedAt: postTimeFromId(id) }))),
      batch.nextPosition,
      batch.fetched,
      batch.skipped,
      batch.apiCalls,
      imp.kind === "ARCHIVE" ? "ARCHIVE" : "EXPORTER",
      readPriceUsd,
    ],
  });
  const r = out[0];
  if (!r) throw new Error(`import ${imp.id} no longer exists`);
  return { ...r, orderFloor: r.orderFloor === null ? null : BigInt(r.orderFloor) } as Import;
}

/** The order floor of a starting import: under every key the user has (0 for an empty library). */
export async function importOrderFloor(db: Db, userId: string): Promise<bigint> {
  const { rows } = await poolOf(db).query<{ min: string | null }>(
    `SELECT min("sortKey")::text AS min FROM "Bookmark" WHERE "userId" = $1`,
    [userId],
  );
  return rows[0]?.min ? BigInt(rows[0].min) : 0n;
}
