import type { SyncRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { MappedPage } from "~/server/x/map";
import { appendRunErrors } from "./run-errors";

/** Room for positions inside one run's order-key range (X returns at most 800; benches 10,000s). */
export const ORDER_SPAN = 1n << 20n;

/** The order-key base for a new run: above every key the user already has (see Bookmark.sortKey). */
export async function nextOrderBase(db: Db, userId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ max: bigint | null }[]>`
    SELECT max("sortKey") AS max FROM "Bookmark" WHERE "userId" = ${userId}`;
  return (rows[0]?.max ?? 0n) + ORDER_SPAN;
}

export interface PageCheckpoint {
  runId: string;
  nextToken: string | null;
  /** Position of the page's first item in X's order, counted from the top of this run. */
  position: number;
  /** Apply-once counters gathered while fetching this page. */
  apiCalls: number;
  startedAt: Date;
  /** Incremental sync: a page with no new bookmark is the last one. */
  stopWhenAllKnown: boolean;
}

export interface SavedPage {
  created: number;
  updated: number;
  run: SyncRun;
  /** The run ended with this page (and is marked SUCCEEDED in the same transaction). */
  last: boolean;
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/**
 * Saves one page in one transaction: authors, posts and the user's bookmarks as three batched
 * upserts (unnest arrays, no per-row queries), then the run's checkpoint and counts. Either all
 * of it lands or none, so a crash can resume from the last checkpoint without losing or
 * duplicating anything. Timestamps are written as UTC, matching Prisma's own columns.
 */
export async function savePage(
  db: Db,
  userId: string,
  orderBase: bigint,
  page: MappedPage,
  checkpoint: PageCheckpoint,
): Promise<SavedPage> {
  const { authors, posts } = page;
  return db.$transaction(async (tx) => {
    let changed = new Set<string>();
    let createdIds = new Set<string>();
    if (posts.length > 0) {
      await tx.$executeRaw`
        INSERT INTO "XAuthor" (id, username, name, "profileImageUrl", verified, description, raw, "updatedAt")
        SELECT a.id, a.username, a.name, a.image, a.verified, a.description, a.raw::jsonb, timezone('utc', now())
        FROM unnest(${authors.map((a) => a.id)}::text[], ${authors.map((a) => a.username)}::text[],
                    ${authors.map((a) => a.name)}::text[], ${authors.map((a) => a.profileImageUrl)}::text[],
                    ${authors.map((a) => a.verified)}::bool[], ${authors.map((a) => a.description)}::text[],
                    ${authors.map((a) => json(a.raw))}::text[])
             AS a(id, username, name, image, verified, description, raw)
        ON CONFLICT (id) DO UPDATE SET
          username = EXCLUDED.username, name = EXCLUDED.name, "profileImageUrl" = EXCLUDED."profileImageUrl",
          verified = EXCLUDED.verified, description = EXCLUDED.description, raw = EXCLUDED.raw,
          "updatedAt" = EXCLUDED."updatedAt"
        WHERE "XAuthor".raw IS DISTINCT FROM EXCLUDED.raw`;

      const postRows = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO "Post" (id, "authorId", text, "postedAt", lang, "conversationId", entities, metrics, media, raw, "fetchedAt", "updatedAt")
        SELECT p.id, p.author_id, p.text, timezone('utc', p.posted_at::timestamptz), p.lang, p.conversation_id,
               p.entities::jsonb, p.metrics::jsonb, p.media::jsonb, p.raw::jsonb, timezone('utc', now()), timezone('utc', now())
        FROM unnest(${posts.map((p) => p.id)}::text[], ${posts.map((p) => p.authorId)}::text[],
                    ${posts.map((p) => p.text)}::text[], ${posts.map((p) => p.postedAt.toISOString())}::text[],
                    ${posts.map((p) => p.lang)}::text[], ${posts.map((p) => p.conversationId)}::text[],
                    ${posts.map((p) => json(p.entities))}::text[], ${posts.map((p) => json(p.metrics))}::text[],
                    ${posts.map((p) => json(p.media))}::text[], ${posts.map((p) => json(p.raw))}::text[])
             AS p(id, author_id, text, posted_at, lang, conversation_id, entities, metrics, media, raw)
        ON CONFLICT (id) DO UPDATE SET
          "authorId" = EXCLUDED."authorId", text = EXCLUDED.text, "postedAt" = EXCLUDED."postedAt", lang = EXCLUDED.lang,
          "conversationId" = EXCLUDED."conversationId", entities = EXCLUDED.entities, metrics = EXCLUDED.metrics,
          media = EXCLUDED.media, raw = EXCLUDED.raw, "fetchedAt" = EXCLUDED."fetchedAt", "updatedAt" = EXCLUDED."updatedAt"
        WHERE "Post".raw IS DISTINCT FROM EXCLUDED.raw
        RETURNING id`;
      changed = new Set(postRows.map((r) => r.id));

      // Position p in X's order gets key base - p: newer bookmarks sort first (see schema).
      const keys = posts.map((p) => (orderBase - BigInt(checkpoint.position + positionOf(page, p.id))).toString());
      const bookmarkRows = await tx.$queryRaw<{ postId: string; inserted: boolean }[]>`
        INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "firstSeenAt", "lastSeenAt")
        SELECT ${userId}, b.post_id, b.sort_key, timezone('utc', now()), timezone('utc', now())
        FROM unnest(${posts.map((p) => p.id)}::text[], ${keys}::int8[]) AS b(post_id, sort_key)
        ON CONFLICT ("userId", "postId") DO UPDATE SET "sortKey" = EXCLUDED."sortKey", "lastSeenAt" = EXCLUDED."lastSeenAt"
        RETURNING "postId", (xmax = 0) AS inserted`;
      createdIds = new Set(bookmarkRows.filter((r) => r.inserted).map((r) => r.postId));
    }
    const created = createdIds.size;
    const updated = [...changed].filter((id) => !createdIds.has(id)).length;

    const run = await tx.syncRun.findUniqueOrThrow({ where: { id: checkpoint.runId }, select: { errors: true } });
    const last = checkpoint.nextToken === null || (checkpoint.stopWhenAllKnown && created === 0);
    const finishedAt = new Date();
    const updatedRun = await tx.syncRun.update({
      where: { id: checkpoint.runId },
      data: {
        ...(last && {
          status: "SUCCEEDED",
          finishedAt,
          durationMs: finishedAt.getTime() - checkpoint.startedAt.getTime(),
        }),
        apiCalls: { increment: checkpoint.apiCalls },
        nextToken: checkpoint.nextToken,
        position: checkpoint.position + page.span,
        pages: { increment: 1 },
        fetched: { increment: posts.length },
        created: { increment: created },
        updated: { increment: updated },
        skipped: { increment: page.skipped.length },
        ...(page.skipped.length > 0 && {
          errors: appendRunErrors(
            run.errors,
            page.skipped.map((s) => ({ kind: "skipped", postId: s.postId, message: s.reason })),
          ),
        }),
      },
    });
    return { created, updated, run: updatedRun, last };
  });
}

/** Index of a post within its page's X order (posts are kept in X's order by mapBookmarksPage). */
function positionOf(page: MappedPage, postId: string): number {
  return page.order.get(postId) ?? 0;
}
