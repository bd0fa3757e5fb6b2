import type { ParsedQuery, SearchTerm } from "~/lib/search-query";
import type { LibraryFilter, SortOrder } from "~/shared/filter";

/**
 * Builds the SQL for one library view: the user's bookmarks narrowed by the filter controls and
 * the parsed search box, in one statement over the Bookmark table only (the read model; see the
 * schema). Every value travels as a bind parameter.
 *
 * How a term matches:
 * - Japanese (any term with a letter outside the Latin script): a substring of `searchText`
 *   (NFKC, lower-cased), since there are no spaces to split words on: `機械学習` is found inside
 *   longer text. 3+ characters use LIKE, answered by the pg_trgm GIN index; 1–2 characters have no
 *   trigram, so they use strpos(), which the planner cannot send to the index: it walks the user's
 *   own rows instead of every user's index entries.
 * - English (Latin letters, digits, punctuation): word search. The stemmed full-text vector
 *   (`running` finds `runs`) OR text starting at a word boundary (a regex the trigram index also
 *   answers, for prefixes and non-English words) — not any substring, or `ai` would find `mail`.
 * Relevance = the full-text rank plus a small score per substring occurrence.
 */
export class SqlParams {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Only Latin-script letters (with digits, spaces, punctuation and symbols): searched by words. */
const LATIN_ONLY = /^[\p{Script=Latin}\p{N}\s\p{P}\p{S}\p{M}]*$/u;
export function isLatinTerm(text: string): boolean {
  return LATIN_ONLY.test(text);
}

/** The term as a regex matching it at the start of a word (every non-word character escaped). A
 * term starting with punctuation (`@handle`, `#1`) has no word start to anchor to. */
function wordStartRegex(text: string): string {
  const escaped = text.replace(/[^\p{L}\p{N}\s]/gu, "\\$&");
  return /^[\p{L}\p{N}_]/u.test(text) ? `\\m${escaped}` : escaped;
}

function termCondition(t: SearchTerm, p: SqlParams): string {
  const short = Array.from(t.text).length < 3;
  if (!isLatinTerm(t.text)) {
    return short ? `strpos(b."searchText", ${p.add(t.text)}) > 0` : `b."searchText" LIKE ${p.add(`%${escapeLike(t.text)}%`)}`;
  }
  const re = p.add(wordStartRegex(t.text));
  // textregexeq is the ~ operator as a function: the same match, but not sent to the index.
  const words = short ? `textregexeq(b."searchText", ${re})` : `b."searchText" ~ ${re}`;
  const tsq = `${t.phrase ? "phraseto_tsquery" : "plainto_tsquery"}('english'::regconfig, ${p.add(t.text)})`;
  return `(${words} OR b."searchVector" @@ ${tsq})`;
}

function not(cond: string, negate: boolean): string {
  return negate ? `NOT (${cond})` : cond;
}

/**
 * `is:` operators as SQL. Deleted on X is a fact about the post (shared by every library), read
 * through the post's primary key rather than copied onto each bookmark.
 */
const IS_SQL: Record<ParsedQuery["is"][number]["value"], string> = {
  favorite: `b.favorite`,
  removed: `b."removedOnXAt" IS NOT NULL`,
  deleted: `EXISTS (SELECT 1 FROM "Post" dp WHERE dp.id = b."postId" AND dp."deletedOnXAt" IS NOT NULL)`,
};

/** The WHERE conditions (joined with AND) for a user's view. */
export function whereConditions(userId: string, f: LibraryFilter, q: ParsedQuery, p: SqlParams): string[] {
  const user = p.add(userId);
  const c: string[] = [`b."userId" = ${user}`, `b."deletedAt" IS NULL`];

  // Filter controls.
  if (f.tagIds.length > 0) c.push(`b."tagIds" ${f.tagMode === "all" ? "@>" : "&&"} ${p.add(f.tagIds)}::int[]`);
  if (f.categoryId === null) c.push(`b."categoryId" IS NULL`);
  else if (f.categoryId !== undefined) c.push(`b."categoryId" = ${p.add(f.categoryId)}`);
  if (f.author) c.push(`lower(b."authorUsername") = ${p.add(f.author)}`);
  if (f.postedFrom) c.push(`b."postedAt" >= ${p.add(f.postedFrom)}::timestamptz AT TIME ZONE 'UTC'`);
  if (f.postedTo) c.push(`b."postedAt" < ${p.add(f.postedTo)}::timestamptz AT TIME ZONE 'UTC'`);
  if (f.hasMedia !== undefined) c.push(not(`b."hasMedia"`, !f.hasMedia));
  if (f.lang) c.push(`b.lang = ${p.add(f.lang)}`);
  if (f.favorite !== undefined) c.push(not(`b.favorite`, !f.favorite));
  if (f.removedOnX !== undefined) c.push(`b."removedOnXAt" IS ${f.removedOnX ? "NOT " : ""}NULL`);
  if (f.deletedOnX !== undefined) c.push(not(IS_SQL.deleted, !f.deletedOnX));
  if (f.folderId !== undefined) {
    c.push(`EXISTS (SELECT 1 FROM "BookmarkFolderItem" fi WHERE fi."bookmarkId" = b.id AND fi."folderId" = ${p.add(f.folderId)})`);
  }

  // The search box. A #tag or category: naming nothing the user has matches nothing (the
  // subquery is NULL, and NULL never matches); negated, it excludes nothing.
  for (const t of q.tags) {
    const id = `(SELECT id FROM "Tag" WHERE "userId" = ${user} AND key = ${p.add(t.value)})`;
    c.push(t.negate ? `NOT (b."tagIds" && ARRAY[${id}])` : `b."tagIds" @> ARRAY[${id}]`);
  }
  for (const k of q.categories) {
    const id = `(SELECT id FROM "Category" WHERE "userId" = ${user} AND key = ${p.add(k.value)})`;
    // (Negated, a missing category compares with -1, no id at all: nothing is excluded, and
    // bookmarks without a category stay.)
    c.push(k.negate ? `b."categoryId" IS DISTINCT FROM coalesce(${id}, -1)` : `b."categoryId" = ${id}`);
  }
  // folder:name (X's folders): by the folder's key; a name the user has no folder of matches nothing.
  for (const k of q.folders) {
    const inFolder = `EXISTS (SELECT 1 FROM "BookmarkFolderItem" fi JOIN "BookmarkFolder" bf ON bf.id = fi."folderId"
      WHERE fi."bookmarkId" = b.id AND bf."userId" = ${user} AND bf.key = ${p.add(k.value)})`;
    c.push(not(inFolder, k.negate));
  }
  // from: and lang: name alternatives (from:a from:b = either); negated ones all apply.
  const from = q.from.filter((o) => !o.negate).map((o) => o.value);
  if (from.length > 0) c.push(`lower(b."authorUsername") = ANY(${p.add(from)}::text[])`);
  for (const o of q.from.filter((o) => o.negate)) c.push(`lower(b."authorUsername") <> ${p.add(o.value)}`);
  const langs = q.lang.filter((o) => !o.negate).map((o) => o.value);
  if (langs.length > 0) c.push(`b.lang = ANY(${p.add(langs)}::text[])`);
  for (const o of q.lang.filter((o) => o.negate)) c.push(`b.lang IS DISTINCT FROM ${p.add(o.value)}`);
  for (const h of q.has) {
    const cond = h.value === "media" ? `b."hasMedia"` : h.value === "note" ? `b.note <> ''` : `cardinality(b."tagIds") > 0`;
    c.push(not(cond, h.negate));
  }
  for (const i of q.is) c.push(not(IS_SQL[i.value], i.negate));
  if (q.after) c.push(`b."postedAt" >= ${p.add(q.after)}::timestamptz AT TIME ZONE 'UTC'`);
  if (q.before) c.push(`b."postedAt" < ${p.add(q.before)}::timestamptz AT TIME ZONE 'UTC'`);
  for (const t of q.terms) c.push(not(termCondition(t, p), t.negate));
  return c;
}

/** The relevance score of a row for the query's positive terms (0 when there are none). */
export function rankExpression(q: ParsedQuery, p: SqlParams): string {
  const positive = q.terms.filter((t) => !t.negate);
  if (positive.length === 0) return "0::float8";
  const parts = positive.map((t) => {
    const s = p.add(t.text);
    // Occurrences of the term, capped so one repeated word does not drown the rest.
    const hits = `least((length(b."searchText") - length(replace(b."searchText", ${s}, ''))) / greatest(length(${s}), 1), 5)`;
    const fts = isLatinTerm(t.text)
      ? ` + ts_rank_cd(b."searchVector", ${t.phrase ? "phraseto_tsquery" : "plainto_tsquery"}('english'::regconfig, ${s}))`
      : "";
    return `(${hits} * 0.1${fts})`;
  });
  return `(${parts.join(" + ")})::float8`;
}

/** Keyset cursors, one shape per sort order (the kind letter keeps a cursor from another order out). */
export type Cursor =
  { sort: "newest" | "oldest"; sortKey: bigint; id: bigint } | { sort: "relevance"; rank: number; sortKey: bigint; id: bigint };

export const CURSOR_PATTERN = /^(n|o):-?\d+:\d+$|^r:-?\d+(\.\d+)?(e-?\d+)?:-?\d+:\d+$/;

export function encodeCursor(c: Cursor): string {
  if (c.sort === "relevance") return `r:${c.rank}:${c.sortKey}:${c.id}`;
  return `${c.sort === "newest" ? "n" : "o"}:${c.sortKey}:${c.id}`;
}

export function decodeCursor(s: string): Cursor | null {
  if (!CURSOR_PATTERN.test(s)) return null;
  const parts = s.split(":");
  if (parts[0] === "r") return { sort: "relevance", rank: Number(parts[1]), sortKey: BigInt(parts[2]!), id: BigInt(parts[3]!) };
  return { sort: parts[0] === "n" ? "newest" : "oldest", sortKey: BigInt(parts[1]!), id: BigInt(parts[2]!) };
}

/** Relevance needs words to rank by; without any it means newest. */
export function effectiveSort(sort: SortOrder, q: ParsedQuery): SortOrder {
  return sort === "relevance" && !q.terms.some((t) => !t.negate) ? "newest" : sort;
}

/**
 * The ids (and order keys) of one page, `limit + 1` rows to tell whether more follow. Newest and
 * oldest walk the (userId, sortKey, id) index in order and stop after the page; relevance must
 * rank every match, then cuts the page after the cursor.
 */
export function pageStatement(
  userId: string,
  f: LibraryFilter,
  q: ParsedQuery,
  cursor: Cursor | null,
  limit: number,
): { text: string; values: unknown[]; sort: SortOrder } {
  const p = new SqlParams();
  const where = whereConditions(userId, f, q, p);
  const sort = effectiveSort(f.sort, q);
  if (sort === "relevance") {
    const rank = rankExpression(q, p);
    const after =
      cursor?.sort === "relevance"
        ? `WHERE (s.rank, s."sortKey", s.id) < (${p.add(cursor.rank)}::float8, ${p.add(cursor.sortKey)}::int8, ${p.add(cursor.id)}::int8)`
        : "";
    return {
      sort,
      values: p.values,
      text: `SELECT s.id, s."sortKey", s.rank FROM (
  SELECT b.id, b."sortKey", ${rank} AS rank FROM "Bookmark" b WHERE ${where.join(" AND ")}
) s ${after}
ORDER BY s.rank DESC, s."sortKey" DESC, s.id DESC LIMIT ${p.add(limit + 1)}`,
    };
  }
  const dir = sort === "newest" ? "DESC" : "ASC";
  if (cursor && cursor.sort === sort) {
    where.push(`(b."sortKey", b.id) ${sort === "newest" ? "<" : ">"} (${p.add(cursor.sortKey)}::int8, ${p.add(cursor.id)}::int8)`);
  }
  return {
    sort,
    values: p.values,
    text: `SELECT b.id, b."sortKey", 0::float8 AS rank FROM "Bookmark" b WHERE ${where.join(" AND ")}
ORDER BY b."sortKey" ${dir}, b.id ${dir} LIMIT ${p.add(limit + 1)}`,
  };
}

/** How many bookmarks the view holds. */
export function countStatement(userId: string, f: LibraryFilter, q: ParsedQuery): { text: string; values: unknown[] } {
  const p = new SqlParams();
  const where = whereConditions(userId, f, q, p);
  return { text: `SELECT count(*)::int AS n FROM "Bookmark" b WHERE ${where.join(" AND ")}`, values: p.values };
}
