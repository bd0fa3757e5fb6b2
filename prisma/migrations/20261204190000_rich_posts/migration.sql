-- Richer posts (issue 13, part 4): quoted and replied-to posts stored as posts of their own, and
-- search over what the card shows (linked URLs, link titles and descriptions, alt text, the quoted
-- post's text) through the bookmark's new "cardText".
-- Hand-edited after `db:new-migration`: the generated search columns and their GIN indexes are
-- beyond Prisma's schema language (see the library migration).

-- AlterTable
ALTER TABLE "Post" ADD COLUMN     "quotedId" TEXT,
ADD COLUMN     "replyToId" TEXT;

-- AlterTable
ALTER TABLE "Bookmark" ADD COLUMN     "cardText" TEXT NOT NULL DEFAULT '';

-- A generated column's expression cannot be altered: drop both search columns (their indexes go
-- with them) and add them again reading "cardText" too. Card text weighs like the author (B).
ALTER TABLE "Bookmark" DROP COLUMN "searchText", DROP COLUMN "searchVector";

-- Card text for the bookmarks saved before this migration (done while the search columns are
-- gone, so they are computed once): links' URL words, titles and descriptions, and alt text. An
-- approximation of src/server/bookmarks/card-text.ts in SQL (quoted posts were not stored
-- before): the next full sync writes the exact text.
UPDATE "Bookmark" b SET "cardText" = left(concat_ws(E'\n',
  (SELECT string_agg(concat_ws(' ',
       regexp_replace(coalesce(u->>'unwound_url', u->>'expanded_url', ''), '^https?://(www\.)?|[/._?=&#+:%-]+', ' ', 'g'),
       u->>'title', u->>'description'), E'\n')
     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.entities->'urls') = 'array' THEN p.entities->'urls' ELSE '[]'::jsonb END) u
     WHERE u->>'media_key' IS NULL),
  (SELECT string_agg(m->>'altText', E'\n')
     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(p.media) = 'array' THEN p.media ELSE '[]'::jsonb END) m
     WHERE m->>'altText' IS NOT NULL)
), 4000)
FROM "Post" p WHERE p.id = b."postId";

ALTER TABLE "Bookmark" ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (
  lower(normalize("postText" || ' ' || "authorName" || ' @' || "authorUsername" || ' ' || "note" || ' ' || "tagText" || ' ' || "cardText", NFKC))
) STORED;
ALTER TABLE "Bookmark" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, normalize("postText", NFKC)), 'A') ||
  setweight(to_tsvector('english'::regconfig, normalize("tagText", NFKC)), 'A') ||
  setweight(to_tsvector('simple'::regconfig, normalize("authorName" || ' ' || "authorUsername", NFKC)), 'B') ||
  setweight(to_tsvector('english'::regconfig, normalize("cardText", NFKC)), 'B') ||
  setweight(to_tsvector('english'::regconfig, normalize("note", NFKC)), 'C')
) STORED;
CREATE INDEX "Bookmark_search_trgm_idx" ON "Bookmark" USING gin ("userId", "searchText" gin_trgm_ops);
CREATE INDEX "Bookmark_search_fts_idx" ON "Bookmark" USING gin ("userId", "searchVector");
