-- CreateEnum
CREATE TYPE "XWriteAction" AS ENUM ('REMOVE', 'ADD');

-- CreateEnum
CREATE TYPE "XWriteStatus" AS ENUM ('QUEUED', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "BookmarkFolder" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "xId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "missingIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "BookmarkFolder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BookmarkFolderItem" (
    "folderId" TEXT NOT NULL,
    "bookmarkId" BIGINT NOT NULL,

    CONSTRAINT "BookmarkFolderItem_pkey" PRIMARY KEY ("folderId","bookmarkId")
);

-- CreateTable
CREATE TABLE "XBookmarkWrite" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "postId" TEXT NOT NULL,
    "action" "XWriteAction" NOT NULL,
    "status" "XWriteStatus" NOT NULL DEFAULT 'QUEUED',
    "drainId" TEXT,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "XBookmarkWrite_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "BookmarkFolder_userId_key_idx" ON "BookmarkFolder"("userId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "BookmarkFolder_userId_xId_key" ON "BookmarkFolder"("userId", "xId");

-- CreateIndex
CREATE INDEX "BookmarkFolderItem_bookmarkId_idx" ON "BookmarkFolderItem"("bookmarkId");

-- CreateIndex
CREATE INDEX "XBookmarkWrite_userId_createdAt_idx" ON "XBookmarkWrite"("userId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "XBookmarkWrite_drainId_idx" ON "XBookmarkWrite"("drainId");

-- AddForeignKey
ALTER TABLE "BookmarkFolder" ADD CONSTRAINT "BookmarkFolder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookmarkFolderItem" ADD CONSTRAINT "BookmarkFolderItem_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "BookmarkFolder"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "BookmarkFolderItem" ADD CONSTRAINT "BookmarkFolderItem_bookmarkId_fkey" FOREIGN KEY ("bookmarkId") REFERENCES "Bookmark"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "XBookmarkWrite" ADD CONSTRAINT "XBookmarkWrite_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

