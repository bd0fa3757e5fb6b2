-- Stored X payloads and the other large JSON columns: lz4 instead of the default pglz (several
-- times faster to compress and to read back, about the same size on JSON). Metadata only, no
-- table rewrite: values written from now on use lz4, older ones keep pglz until rewritten (a
-- sync that updates a post rewrites it). The admin console's Health page shows the ratio.
--
-- A server built without lz4 (the embedded-postgres fallback is one) keeps pglz: the ALTERs run
-- only where default_toast_compression offers lz4. They sit in SQL functions because Prisma's
-- adapter splits migration scripts at every semicolon, so no DO block can be used here.
CREATE FUNCTION "xb_lz4_post"() RETURNS void LANGUAGE sql AS 'ALTER TABLE "Post" ALTER COLUMN "raw" SET COMPRESSION lz4, ALTER COLUMN "entities" SET COMPRESSION lz4, ALTER COLUMN "media" SET COMPRESSION lz4';
CREATE FUNCTION "xb_lz4_author"() RETURNS void LANGUAGE sql AS 'ALTER TABLE "XAuthor" ALTER COLUMN "raw" SET COMPRESSION lz4';
CREATE FUNCTION "xb_lz4_import"() RETURNS void LANGUAGE sql AS 'ALTER TABLE "ImportItem" ALTER COLUMN "data" SET COMPRESSION lz4';

SELECT "xb_lz4_post"(), "xb_lz4_author"(), "xb_lz4_import"()
  FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals);

DROP FUNCTION "xb_lz4_post"();
DROP FUNCTION "xb_lz4_author"();
DROP FUNCTION "xb_lz4_import"();
