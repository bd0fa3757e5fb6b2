/**
 * The one way posts and their authors are written, by a sync page and an import batch alike: a
 * post is stored once whoever brought it. Each function gives the INSERT of one CTE, reading its
 * rows from a JSON parameter (jsonb_to_recordset: one round trip, no per-row queries).
 *
 * Trust: X's own copy (a bookmarks page, a lookup) is the shared truth and replaces what is
 * stored when it changed. A copy from a file someone uploaded (twitter-web-exporter) is that
 * person's word: it is stored only where nothing is (so their own library shows it), marked
 * (`raw.source`), never replaces anything, and counts as not stored for everyone else, whose
 * imports fetch the post from X (whose copy then replaces it).
 */

/** `raw.source` of a post or author row whose content came from an uploaded file, not from X. */
export const FILE_SOURCE = "twitter-web-exporter";

/** SQL: the row `t` (a table name or alias) holds X's own copy, not a file's. */
export const isFromX = (t: string) => `(${t}.raw->>'source' IS DISTINCT FROM '${FILE_SOURCE}')`;

/** Authors from `$param` (AuthorRow[] as JSON); RETURNING one row per author written. */
export function upsertAuthors(param: string): string {
  return `INSERT INTO "XAuthor" (id, username, name, "profileImageUrl", verified, description, raw, "updatedAt")
  SELECT a.id, a.username, a.name, a."profileImageUrl", a.verified, a.description, a.raw, timezone('utc', now())
  FROM jsonb_to_recordset(${param}::jsonb)
       AS a(id text, username text, name text, "profileImageUrl" text, verified bool, description text, raw jsonb)
  ON CONFLICT (id) DO UPDATE SET
    username = EXCLUDED.username, name = EXCLUDED.name, "profileImageUrl" = EXCLUDED."profileImageUrl",
    verified = EXCLUDED.verified, description = EXCLUDED.description, raw = EXCLUDED.raw, "updatedAt" = EXCLUDED."updatedAt"
  WHERE ${isFromX("EXCLUDED")} AND "XAuthor".raw IS DISTINCT FROM EXCLUDED.raw
  RETURNING 1`;
}

/**
 * Posts from `$param` (PostRow[] as JSON, each id once); RETURNING the id of every post inserted
 * or whose content changed (X's copy replacing a different one; "deleted on X" is kept).
 */
export function upsertPosts(param: string): string {
  return `INSERT INTO "Post" (id, "authorId", text, "postedAt", lang, "conversationId", entities, metrics, media,
    "quotedId", "replyToId", raw, "fetchedAt", "updatedAt")
  SELECT p.id, p."authorId", p.text, timezone('utc', p."postedAt"), p.lang, p."conversationId",
         p.entities, p.metrics, p.media, p."quotedId", p."replyToId", p.raw, timezone('utc', now()), timezone('utc', now())
  FROM jsonb_to_recordset(${param}::jsonb)
       AS p(id text, "authorId" text, text text, "postedAt" timestamptz, lang text, "conversationId" text,
            entities jsonb, metrics jsonb, media jsonb, "quotedId" text, "replyToId" text, raw jsonb)
  ON CONFLICT (id) DO UPDATE SET
    "authorId" = EXCLUDED."authorId", text = EXCLUDED.text, "postedAt" = EXCLUDED."postedAt", lang = EXCLUDED.lang,
    "conversationId" = EXCLUDED."conversationId", entities = EXCLUDED.entities, metrics = EXCLUDED.metrics,
    media = EXCLUDED.media, "quotedId" = EXCLUDED."quotedId", "replyToId" = EXCLUDED."replyToId", raw = EXCLUDED.raw,
    "fetchedAt" = EXCLUDED."fetchedAt", "updatedAt" = EXCLUDED."updatedAt"
  -- (media: X's media URLs live in the page's includes, not in the post's raw object)
  WHERE ${isFromX("EXCLUDED")} AND ("Post".raw IS DISTINCT FROM EXCLUDED.raw OR "Post".media IS DISTINCT FROM EXCLUDED.media)
  RETURNING id`;
}
