-- CreateEnum
CREATE TYPE "MediaArchiveMode" AS ENUM ('ALL', 'IMAGES', 'OFF');

-- AlterTable
-- IF NOT EXISTS: the imports work adds the same column (one "deleted on X" fact).
ALTER TABLE "Post" ADD COLUMN IF NOT EXISTS "deletedOnXAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mediaArchive" "MediaArchiveMode" NOT NULL DEFAULT 'ALL';

-- CreateTable
CREATE TABLE "MediaFile" (
    "sha256" TEXT NOT NULL,
    "size" BIGINT NOT NULL,
    "contentType" TEXT NOT NULL,
    "width" INTEGER,
    "height" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaFile_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "MediaAsset" (
    "id" BIGSERIAL NOT NULL,
    "postId" TEXT NOT NULL,
    "mediaKey" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "sourceUrl" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sha256" TEXT,
    "thumbSha256" TEXT,
    "size" BIGINT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MediaAsset_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MediaAsset_sha256_idx" ON "MediaAsset"("sha256");

-- CreateIndex
CREATE INDEX "MediaAsset_thumbSha256_idx" ON "MediaAsset"("thumbSha256");

-- CreateIndex
CREATE UNIQUE INDEX "MediaAsset_postId_mediaKey_role_key" ON "MediaAsset"("postId", "mediaKey", "role");

-- AddForeignKey
ALTER TABLE "MediaAsset" ADD CONSTRAINT "MediaAsset_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;

