-- The library: organising (tags, categories, notes, favourites, deletion here), and the read
-- model that lets lists, filters and search read one table (see the Bookmark model's comment).
-- Hand-edited after `db:new-migration`: extensions, the back-fill, generated search columns and
-- the GIN indexes are beyond what Prisma's schema language says.

-- pg_trgm: substring search that works without word boundaries (Japanese). btree_gin: lets a GIN
-- index lead with "userId", so a search only walks one user's entries.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- AlterTable
ALTER TABLE "Bookmark" ADD COLUMN     "authorId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "authorName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "authorUsername" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "categoryId" INTEGER,
ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "favorite" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "hasMedia" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "lang" TEXT,
ADD COLUMN     "note" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "postText" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "postedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "tagIds" INTEGER[] NOT NULL DEFAULT ARRAY[]::INTEGER[],
ADD COLUMN     "tagText" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Category" (
    "id" SERIAL NOT NULL,
    "userId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "color" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Category_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Tag_userId_key_key" ON "Tag"("userId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Category_userId_key_key" ON "Category"("userId", "key");

-- CreateIndex
CREATE INDEX "Bookmark_categoryId_idx" ON "Bookmark"("categoryId");

-- AddForeignKey
ALTER TABLE "Bookmark" ADD CONSTRAINT "Bookmark_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "Category"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Tag" ADD CONSTRAINT "Tag_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Category" ADD CONSTRAINT "Category_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Copy the post and author facts onto the bookmarks synced before this migration. (X escapes
-- &, < and > in post text. The semicolons are written \x3b: Prisma's migration runner splits
-- statements at every semicolon, even inside a string.)
UPDATE "Bookmark" b SET
  "postText" = replace(replace(replace(p.text, E'&lt\x3b', '<'), E'&gt\x3b', '>'), E'&amp\x3b', '&'),
  "postedAt" = p."postedAt", lang = p.lang,
  "hasMedia" = coalesce(jsonb_array_length(p.media) > 0, false),
  "authorId" = a.id, "authorName" = a.name, "authorUsername" = a.username
FROM "Post" p JOIN "XAuthor" a ON a.id = p."authorId"
WHERE p.id = b."postId";

-- Generated search columns: Postgres keeps them in step with every write, whoever writes.
-- searchText: NFKC folds full-width/half-width forms (Ａ→a, ｶ→カ) so either spelling finds the other.
ALTER TABLE "Bookmark" ADD COLUMN "searchText" TEXT GENERATED ALWAYS AS (
  lower(normalize("postText" || ' ' || "authorName" || ' @' || "authorUsername" || ' ' || "note" || ' ' || "tagText", NFKC))
) STORED;
-- searchVector: English stemming and ranking weights (post text and tags A, author B, note C).
ALTER TABLE "Bookmark" ADD COLUMN "searchVector" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english'::regconfig, normalize("postText", NFKC)), 'A') ||
  setweight(to_tsvector('english'::regconfig, normalize("tagText", NFKC)), 'A') ||
  setweight(to_tsvector('simple'::regconfig, normalize("authorName" || ' ' || "authorUsername", NFKC)), 'B') ||
  setweight(to_tsvector('english'::regconfig, normalize("note", NFKC)), 'C')
) STORED;

CREATE INDEX "Bookmark_search_trgm_idx" ON "Bookmark" USING gin ("userId", "searchText" gin_trgm_ops);
CREATE INDEX "Bookmark_search_fts_idx" ON "Bookmark" USING gin ("userId", "searchVector");
CREATE INDEX "Bookmark_tagIds_idx" ON "Bookmark" USING gin ("tagIds");
