import { TRPCError } from "@trpc/server";
import type pg from "pg";
import { externalUrl } from "~/lib/safe-url";
import { parseSearchQuery, type ParsedQuery } from "~/lib/search-query";
import { userError } from "~/server/api/user-message";
import { poolOf, type Db } from "~/server/db";
import { withArchivedMedia, type ArchivedFiles } from "~/server/media/urls";
import { extraMediaOrigins } from "~/server/x/config";
import type { MediaItem } from "~/server/x/map";
import type { XEntities } from "~/server/x/schemas";
import type { LibraryFilter, SortOrder } from "~/shared/filter";
import { countStatement, decodeCursor, encodeCursor, pageStatement, type Cursor } from "./query";

/** A post's author as the library shows it. */
export interface AuthorView {
  id: string;
  username: string;
  name: string;
  profileImageUrl: string | null;
  verified: boolean;
}

/** A quoted or replied-to post, shown nested in the bookmark's card. */
export interface NestedPost {
  id: string;
  text: string;
  postedAt: Date;
  lang: string | null;
  entities: XEntities | null;
  media: MediaItem[];
  url: string;
  author: AuthorView;
}

/** A bookmark as the library shows it. */
export interface BookmarkView {
  id: string;
  version: number;
  firstSeenAt: Date;
  /** A full sync found this bookmark gone from X; it stays here (with its notes and tags). */
  removedOnXAt: Date | null;
  note: string;
  favorite: boolean;
  category: { id: number; name: string; color: string } | null;
  tags: { id: number; name: string }[];
  post: Omit<NestedPost, "author"> & {
    metrics: Record<string, number> | null;
    /** X reported the post deleted; its text and archived media are kept here. */
    deletedOnXAt: Date | null;
    /** The post it quotes / answers: null when it has none; `post` null when X did not serve it. */
    quoted: { id: string; post: NestedPost | null } | null;
    replyTo: { id: string; post: NestedPost | null } | null;
  };
  author: AuthorView;
}

export interface BookmarkPage {
  items: BookmarkView[];
  nextCursor: string | null;
  /** The order the page is in (relevance without search words falls back to newest). */
  sort: SortOrder;
  /** What to mark in the shown text: the search's words, and their English stems. */
  highlight: { terms: string[]; stems: string[] };
}

/** Parses the search box; its mistakes (a bad date, an unknown has: value) are the person's to fix. */
export function parseQueryOrThrow(q: string): ParsedQuery {
  const parsed = parseSearchQuery(q);
  if (parsed.errors.length > 0) throw new TRPCError({ code: "BAD_REQUEST", message: parsed.errors.join(" ") });
  return parsed;
}

/** A nested post as the hydrating statement builds it (jsonb: dates arrive as ISO strings). */
type NestedRow = Omit<NestedPost, "postedAt" | "media" | "url" | "author"> & {
  postedAt: string;
  media: MediaItem[] | null;
  author: NestedPost["author"];
};

/** A referenced post and its author as one jsonb value (NULL when it is not stored). */
function nestedJson(post: string, author: string): string {
  return `CASE WHEN ${post}.id IS NULL THEN NULL ELSE jsonb_build_object('id', ${post}.id, 'text', ${post}.text,
    'postedAt', ${post}."postedAt" AT TIME ZONE 'UTC', 'lang', ${post}.lang, 'entities', ${post}.entities, 'media', ${post}.media,
    'author', jsonb_build_object('id', ${author}.id, 'username', ${author}.username, 'name', ${author}.name,
      'profileImageUrl', ${author}."profileImageUrl", 'verified', ${author}.verified)) END`;
}

interface Row {
  id: string;
  sortKey: string;
  rank: number;
  version: number;
  firstSeenAt: Date;
  removedOnXAt: Date | null;
  note: string;
  favorite: boolean;
  category: BookmarkView["category"];
  tags: BookmarkView["tags"];
  postId: string;
  text: string;
  postedAt: Date;
  lang: string | null;
  entities: XEntities | null;
  media: MediaItem[] | null;
  metrics: Record<string, number> | null;
  deletedOnXAt: Date | null;
  archived: ArchivedFiles | null;
  quotedId: string | null;
  replyToId: string | null;
  quoted: NestedRow | null;
  replyTo: NestedRow | null;
  authorId: string;
  username: string;
  name: string;
  profileImageUrl: string | null;
  verified: boolean;
}

/**
 * The page's ids first (one user's index, cut at the page), then everything shown for just those
 * rows: posts, authors, tags and category by primary key. One statement, one round trip.
 * Timestamps are Prisma's UTC `timestamp(3)`: read them as UTC whatever the server's zone.
 */
function hydrate(page: { text: string; values: unknown[]; sort: SortOrder }): string {
  const order = page.sort === "oldest" ? `h."sortKey" ASC, h.id ASC` : `h.rank DESC, h."sortKey" DESC, h.id DESC`;
  return `WITH h AS MATERIALIZED (${page.text})
SELECT h.id::text, h."sortKey"::text, h.rank, b.version,
  b."firstSeenAt" AT TIME ZONE 'UTC' AS "firstSeenAt", b."removedOnXAt" AT TIME ZONE 'UTC' AS "removedOnXAt",
  b.note, b.favorite,
  CASE WHEN c.id IS NULL THEN NULL ELSE jsonb_build_object('id', c.id, 'name', c.name, 'color', c.color) END AS category,
  (SELECT coalesce(jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name) ORDER BY t.key), '[]'::jsonb)
     FROM "Tag" t WHERE t.id = ANY(b."tagIds")) AS tags,
  p.id AS "postId", p.text, p."postedAt" AT TIME ZONE 'UTC' AS "postedAt", p.lang, p.entities, p.media, p.metrics,
  p."deletedOnXAt" AT TIME ZONE 'UTC' AS "deletedOnXAt",
  (SELECT jsonb_object_agg(ma."mediaKey" || ':' || ma.role, jsonb_build_array(ma.sha256, ma."thumbSha256"))
     FROM "MediaAsset" ma WHERE ma."postId" = p.id AND ma.status = 'stored') AS archived,
  p."quotedId", p."replyToId", ${nestedJson("q", "qa")} AS quoted, ${nestedJson("r", "ra")} AS "replyTo",
  -- A "deleted on X" stub from an archive has no author: the bookmark's copied names stand in.
  coalesce(a.id, b."authorId") AS "authorId", coalesce(a.username, b."authorUsername") AS username,
  coalesce(a.name, b."authorName") AS name, a."profileImageUrl", coalesce(a.verified, false) AS verified
FROM h JOIN "Bookmark" b ON b.id = h.id JOIN "Post" p ON p.id = b."postId" LEFT JOIN "XAuthor" a ON a.id = p."authorId"
LEFT JOIN "Category" c ON c.id = b."categoryId"
LEFT JOIN "Post" q ON q.id = p."quotedId" LEFT JOIN "XAuthor" qa ON qa.id = q."authorId"
LEFT JOIN "Post" r ON r.id = p."replyToId" LEFT JOIN "XAuthor" ra ON ra.id = r."authorId"
ORDER BY ${order}`;
}

function nestedView(n: NestedRow | null): NestedPost | null {
  if (!n) return null;
  return {
    ...n,
    postedAt: new Date(n.postedAt),
    media: n.media ?? [],
    url: `https://x.com/${n.author.username}/status/${n.id}`,
  };
}

function toView(r: Row): BookmarkView {
  // Only https (or the sandbox's) X media reach the page (lib/safe-url.ts); an archived copy
  // (same-origin /api/media/<sha256>) replaces X's URL where one is stored.
  const fromX = (r.media ?? []).map((m) => ({
    ...m,
    url: externalUrl(m.url, extraMediaOrigins),
    previewUrl: externalUrl(m.previewUrl, extraMediaOrigins),
    videoUrl: externalUrl(m.videoUrl, extraMediaOrigins),
  }));
  const shown = withArchivedMedia(fromX, externalUrl(r.profileImageUrl, extraMediaOrigins), r.archived);
  return {
    id: r.id,
    version: r.version,
    firstSeenAt: r.firstSeenAt,
    removedOnXAt: r.removedOnXAt,
    note: r.note,
    favorite: r.favorite,
    category: r.category,
    tags: r.tags,
    post: {
      id: r.postId,
      text: r.text,
      postedAt: r.postedAt,
      lang: r.lang,
      entities: r.entities,
      media: shown.media,
      metrics: r.metrics,
      url: `https://x.com/${r.username}/status/${r.postId}`,
      deletedOnXAt: r.deletedOnXAt,
      quoted: r.quotedId ? { id: r.quotedId, post: nestedView(r.quoted) } : null,
      replyTo: r.replyToId ? { id: r.replyToId, post: nestedView(r.replyTo) } : null,
    },
    author: { id: r.authorId, username: r.username, name: r.name, profileImageUrl: shown.avatarUrl, verified: r.verified },
  };
}

/** English stems of the search words, for highlighting (`running` marks `runs`). */
async function stemsOf(db: Db, q: ParsedQuery): Promise<string[]> {
  const words = q.terms.filter((t) => !t.negate && /[a-z]{2}/.test(t.text)).map((t) => t.text);
  if (words.length === 0) return [];
  const { rows } = await poolOf(db).query<{ lexeme: string }>({
    name: "xb-stems",
    text: `SELECT DISTINCT lexeme FROM unnest(to_tsvector('english'::regconfig, $1))`,
    values: [words.join(" ")],
  });
  return rows.map((r) => r.lexeme);
}

/**
 * One page of a user's library view, by keyset pagination: constant cost per page however deep
 * the scroll (relevance ranks the matches once per page).
 */
export async function listBookmarks(
  db: Db,
  userId: string,
  filter: LibraryFilter,
  opts: { cursor?: string | null; limit: number; /** false: skip the stems (the export shows no marks) */ highlight?: boolean },
): Promise<BookmarkPage> {
  const q = parseQueryOrThrow(filter.q);
  const cursor: Cursor | null = opts.cursor ? decodeCursor(opts.cursor) : null;
  if (opts.cursor && !cursor) throw userError("BAD_REQUEST", "badPageLink", "That page link is not valid. Reload the list.");
  const page = pageStatement(userId, filter, q, cursor, opts.limit);
  const [{ rows }, stems] = await Promise.all([
    poolOf(db).query<Row>({ text: hydrate(page), values: page.values }),
    opts.highlight === false ? [] : stemsOf(db, q),
  ]);
  const more = rows.length > opts.limit;
  const items = more ? rows.slice(0, opts.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map(toView),
    sort: page.sort,
    nextCursor:
      more && last
        ? encodeCursor(
            page.sort === "relevance"
              ? { sort: "relevance", rank: last.rank, sortKey: BigInt(last.sortKey), id: BigInt(last.id) }
              : { sort: page.sort, sortKey: BigInt(last.sortKey), id: BigInt(last.id) },
          )
        : null,
    highlight: { terms: q.terms.filter((t) => !t.negate).map((t) => t.text), stems },
  };
}

/**
 * One live (not deleted) bookmark of the user's as the library shows it, or null. `on` may be a
 * transaction's client, to read the row as that transaction sees it.
 */
export async function getBookmark(db: Db, userId: string, id: string, on?: pg.PoolClient): Promise<BookmarkView | null> {
  const text = hydrate({
    text: `SELECT b.id, b."sortKey", 0::float8 AS rank FROM "Bookmark" b WHERE b."userId" = $1 AND b.id = $2::int8 AND b."deletedAt" IS NULL`,
    values: [],
    sort: "newest",
  });
  const { rows } = await (on ?? poolOf(db)).query<Row>({ text, values: [userId, id] });
  return rows[0] ? toView(rows[0]) : null;
}

/** How many bookmarks a view holds. */
export async function countBookmarks(db: Db, userId: string, filter: LibraryFilter): Promise<number> {
  const s = countStatement(userId, filter, parseQueryOrThrow(filter.q));
  const { rows } = await poolOf(db).query<{ n: number }>(s);
  return rows[0]?.n ?? 0;
}
