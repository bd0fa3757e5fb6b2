import type { SyncRun } from "~/generated/prisma/client";
import { unescapeXText } from "~/lib/post-text";
import { cardText } from "~/server/bookmarks/card-text";
import { poolOf, type Db } from "~/server/db";
import type { AuthorRow, MappedPage, PostRow } from "~/server/x/map";
import { upsertAuthors, upsertPosts } from "./post-upsert";
import { X_BOOKMARK_CAP } from "./progress";
import { MAX_RUN_ERRORS } from "./run-errors";

/** Room for positions inside one run's order-key range (X returns at most 800; benches 10,000s). */
export const ORDER_SPAN = 1n << 20n;

/** The order-key base for a new run: above every key the user already has (see Bookmark.sortKey). */
export async function nextOrderBase(db: Db, userId: string): Promise<bigint> {
  const rows = await db.$queryRaw<{ max: bigint | null }[]>`
    SELECT max("sortKey") AS max FROM "Bookmark" WHERE "userId" = ${userId}`;
  return (rows[0]?.max ?? 0n) + ORDER_SPAN;
}

export interface PageCheckpoint {
  /** X's token for the page after this one (null: this was the last page). */
  nextToken: string | null;
  /** API calls made for this page (counted on the run in the same statement). */
  apiCalls: number;
  /** Incremental sync: a page with no new bookmark is the last one. */
  stopWhenAllKnown: boolean;
  /** Full sync: on the last page, mark the bookmarks the run did not see as removed on X. */
  reconcileRemovals: boolean;
  /** Estimated price of one billable post read, in US dollars. */
  readPriceUsd: number;
}

export interface SavedPage {
  created: number;
  updated: number;
  run: SyncRun;
  /** The run ended with this page (and is marked SUCCEEDED in the same statement). */
  last: boolean;
}

/**
 * One page as one statement: authors, posts and the user's bookmarks as batched upserts (each
 * page's rows arrive as three JSON documents, expanded by jsonb_to_recordset; no per-row
 * queries), then the run's checkpoint, counts and cost. A single statement is atomic, so the page
 * and its checkpoint land together or not at all, and it costs one round trip. The last page of a
 * full sync also marks, in the same statement, the bookmarks X no longer returns (removals).
 * Timestamps are written as UTC into Prisma's `timestamp(3)` columns, as Prisma itself does.
 * Every CTE reads the table as it was before the statement (Postgres snapshot rules), which is
 * what `prev` relies on to see the previous order keys and read times.
 */
const SAVE_PAGE = `
WITH page AS (
  SELECT * FROM jsonb_to_recordset($3::jsonb) AS b("postId" text, "sortKey" int8, "postText" text, "postedAt" timestamptz,
    lang text, "hasMedia" bool, "authorId" text, "authorName" text, "authorUsername" text, "cardText" text)
), prev AS (
  -- The known bookmarks on this page: their order keys before this run, and how many were
  -- already read from X today (UTC), which X does not bill again.
  SELECT min(bk."sortKey") AS floor,
         count(*) FILTER (WHERE bk."lastSeenAt" >= date_trunc('day', timezone('utc', now())))::int AS read_today
  FROM page JOIN "Bookmark" bk ON bk."userId" = $4 AND bk."postId" = page."postId"
), authors AS (
  ${upsertAuthors("$1")}
), posts AS (
  -- The page's posts and the posts they quote or answer (each once). RETURNING lists only posts
  -- that were inserted or whose content changed on X (post-upsert.ts).
  ${upsertPosts("$2")}
), bookmarks AS (
  -- (xmax = 0): this statement inserted the row, rather than updated it. A bookmark X returns
  -- again is no longer "removed on X".
  -- The post's facts are copied onto the bookmark (the library's read model, see the schema). A
  -- bookmark deleted here stays deleted (its tombstone is updated, not revived).
  INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "firstSeenAt", "lastSeenAt", "lastSeenRunId",
    "postText", "postedAt", lang, "hasMedia", "authorId", "authorName", "authorUsername", "cardText")
  SELECT $4, page."postId", page."sortKey", timezone('utc', now()), timezone('utc', now()), $14,
    page."postText", timezone('utc', page."postedAt"), page.lang, page."hasMedia", page."authorId", page."authorName", page."authorUsername",
    page."cardText"
  FROM page
  ON CONFLICT ("userId", "postId") DO UPDATE SET
    "sortKey" = EXCLUDED."sortKey", "lastSeenAt" = EXCLUDED."lastSeenAt", "lastSeenRunId" = EXCLUDED."lastSeenRunId",
    "removedOnXAt" = NULL, "postText" = EXCLUDED."postText", "postedAt" = EXCLUDED."postedAt", lang = EXCLUDED.lang,
    "hasMedia" = EXCLUDED."hasMedia", "authorId" = EXCLUDED."authorId", "authorName" = EXCLUDED."authorName",
    "authorUsername" = EXCLUDED."authorUsername", "cardText" = EXCLUDED."cardText"
  RETURNING "postId", (xmax = 0) AS inserted
), counts AS (
  SELECT (SELECT count(*) FROM bookmarks WHERE inserted)::int AS created,
         (SELECT count(*) FROM posts WHERE id IN (SELECT "postId" FROM page)
            AND id NOT IN (SELECT "postId" FROM bookmarks WHERE inserted))::int AS updated,
         (SELECT count(*) FROM authors)::int AS authors,
         (SELECT jsonb_array_length($3::jsonb) - read_today FROM prev)::int AS billable
), ending AS (
  -- An incremental sync ends at the first page with nothing new.
  SELECT ($5::text IS NULL OR ($6::bool AND created = 0)) AS last FROM counts
), floor AS (
  SELECT LEAST((SELECT "seenFloorKey" FROM "SyncRun" WHERE id = $14), (SELECT floor FROM prev)) AS key
), deleted_on_x AS (
  -- Posts X reports deleted: marked once (the first notice is kept); nothing of them is removed.
  UPDATE "Post" SET "deletedOnXAt" = timezone('utc', now())
  WHERE id IN (SELECT jsonb_array_elements_text($19::jsonb)) AND "deletedOnXAt" IS NULL
  RETURNING id
), unavailable AS (
  -- Items X listed but could not serve (deleted, malformed) are still bookmarked on X: seen. One
  -- newly marked deleted shows differently: a new version (one UPDATE per row per statement).
  UPDATE "Bookmark" bk SET "lastSeenRunId" = $14,
    version = bk.version + CASE WHEN bk."postId" IN (SELECT id FROM deleted_on_x) THEN 1 ELSE 0 END
  WHERE bk."userId" = $4 AND bk."postId" IN (SELECT jsonb_array_elements_text($18::jsonb))
  RETURNING 1
), gone AS (
  -- Last page of a full sync: every bookmark this run did not see, and that sat among the ones X
  -- still returns (above the floor) or X's whole list was read ($16), was removed on X.
  UPDATE "Bookmark" bk SET "removedOnXAt" = timezone('utc', now()), version = bk.version + 1
  -- (A full sync's last page is the one without a next token: a constant the planner can use.)
  WHERE $15::bool AND $5::text IS NULL
    AND bk."userId" = $4 AND bk."removedOnXAt" IS NULL AND bk."deletedAt" IS NULL AND bk."lastSeenRunId" IS DISTINCT FROM $14
    AND bk."postId" NOT IN (SELECT "postId" FROM page)
    AND bk."postId" NOT IN (SELECT jsonb_array_elements_text($18::jsonb))
    AND ($16::bool OR bk."sortKey" > (SELECT key FROM floor))
  RETURNING 1
)
UPDATE "SyncRun" r SET
  "nextToken" = $5, position = $7, pages = r.pages + 1, fetched = r.fetched + $8, created = r.created + c.created,
  updated = r.updated + c.updated, skipped = r.skipped + $9, "apiCalls" = r."apiCalls" + $10,
  "postsRead" = r."postsRead" + $8, "billableReads" = r."billableReads" + c.billable,
  "estimatedCostUsd" = r."estimatedCostUsd" + c.billable * $17::float8,
  "seenFloorKey" = (SELECT key FROM floor), "partialSuccess" = r."partialSuccess" OR $9 > 0,
  removed = r.removed + (SELECT count(*) FROM gone)::int, "waitingUntil" = NULL, "waitKind" = NULL,
  -- Skipped items are appended to errors, keeping the first MAX_RUN_ERRORS.
  errors = CASE WHEN jsonb_array_length($11::jsonb) = 0 THEN r.errors
           ELSE (SELECT coalesce(jsonb_agg(e ORDER BY n), '[]'::jsonb)
                 FROM (SELECT e, n FROM jsonb_array_elements(r.errors || $11::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY n LIMIT $12) kept)
           END,
  status = CASE WHEN e.last THEN 'SUCCEEDED'::"SyncStatus" ELSE r.status END,
  "finishedAt" = CASE WHEN e.last THEN timezone('utc', now()) ELSE r."finishedAt" END,
  "durationMs" = CASE WHEN e.last THEN $13::int ELSE r."durationMs" END
FROM counts c, ending e
WHERE r.id = $14
RETURNING c.created AS page_created, c.updated AS page_updated, e.last,
  r.pages, r.fetched, r.created, r.updated, r.skipped, r."apiCalls", r.position, r."nextToken", r.errors, r."durationMs",
  r."postsRead", r."billableReads", r."estimatedCostUsd", r."seenFloorKey", r."partialSuccess", r.removed,
  r."waitingUntil", r."waitKind"`;

/** Saves one page and its checkpoint atomically (see SAVE_PAGE); plain SQL on Prisma's own pool: the sync's hot path. */
type SavedRow = { page_created: number; page_updated: number; last: boolean } & Pick<
  SyncRun,
  | "pages"
  | "fetched"
  | "created"
  | "updated"
  | "skipped"
  | "apiCalls"
  | "position"
  | "nextToken"
  | "errors"
  | "durationMs"
  | "postsRead"
  | "billableReads"
  | "estimatedCostUsd"
  | "seenFloorKey"
  | "partialSuccess"
  | "removed"
  | "waitingUntil"
  | "waitKind"
>;

/** A page item as the bookmark row stores it: its order key and the post's facts (the read model). */
export function bookmarkRow(p: PostRow, author: AuthorRow | undefined, sortKey: bigint, quoted?: PostRow) {
  return {
    postId: p.id,
    sortKey: sortKey.toString(),
    postText: unescapeXText(p.text),
    postedAt: p.postedAt,
    lang: p.lang,
    hasMedia: (p.media?.length ?? 0) > 0,
    authorId: p.authorId,
    // X always sends a post's author in `includes`; an absent one leaves the names empty.
    authorName: author?.name ?? "",
    authorUsername: author?.username ?? "",
    cardText: cardText(p, quoted),
  };
}

export async function savePage(db: Db, run: SyncRun, page: MappedPage, checkpoint: PageCheckpoint): Promise<SavedPage> {
  const { userId, orderBase } = run;
  if (orderBase === null) throw new Error("the run has no order base yet");
  const at = new Date().toISOString();
  const authors = new Map(page.authors.map((a) => [a.id, a]));
  const posts = new Map([...page.referenced, ...page.posts].map((p) => [p.id, p]));
  const quotedOf = (p: PostRow) => (p.quotedId ? posts.get(p.quotedId) : undefined);
  // A named statement: parsed and planned once per connection.
  const { rows } = await poolOf(db).query<SavedRow>({
    name: "xb-save-page",
    text: SAVE_PAGE,
    values: [
      JSON.stringify(page.authors),
      JSON.stringify([...posts.values()]),
      // Position p in X's order gets key base - p: newer bookmarks sort first (see schema).
      JSON.stringify(
        page.posts.map((p) =>
          bookmarkRow(p, authors.get(p.authorId), orderBase - BigInt(run.position + (page.order.get(p.id) ?? 0)), quotedOf(p)),
        ),
      ),
      userId,
      checkpoint.nextToken,
      checkpoint.stopWhenAllKnown,
      run.position + page.span,
      page.posts.length,
      page.skipped.length,
      checkpoint.apiCalls,
      JSON.stringify(page.skipped.map((s) => ({ at, kind: "skipped", postId: s.postId, message: s.reason }))),
      MAX_RUN_ERRORS,
      Date.now() - (run.startedAt ?? new Date()).getTime(),
      run.id,
      checkpoint.reconcileRemovals,
      // X's whole list was read (it ended before its cap): anything unseen is gone, however old.
      // Every item X listed counts towards the cap, those it could not serve (skipped) included.
      checkpoint.nextToken === null && run.fetched + run.skipped + page.posts.length + page.skipped.length < X_BOOKMARK_CAP,
      checkpoint.readPriceUsd,
      JSON.stringify(page.skipped.flatMap((s) => (s.postId ? [s.postId] : []))),
      JSON.stringify(page.gone),
    ],
  });
  const r = rows[0];
  if (!r) throw new Error(`sync run ${run.id} no longer exists`);
  const { page_created, page_updated, last, ...counts } = r;
  // The run as stored now, without reading it back.
  const updated: SyncRun = {
    ...run,
    ...counts,
    ...(last && { status: "SUCCEEDED", finishedAt: new Date() }),
  };
  return { created: page_created, updated: page_updated, run: updated, last };
}
