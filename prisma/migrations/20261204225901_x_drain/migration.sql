-- CreateEnum
CREATE TYPE "XDrainStatus" AS ENUM ('RUNNING', 'PAUSED', 'DONE', 'FAILED');

-- CreateTable
CREATE TABLE "XDrain" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "status" "XDrainStatus" NOT NULL DEFAULT 'RUNNING',
    "batchSize" INTEGER NOT NULL,
    "rounds" INTEGER NOT NULL DEFAULT 0,
    "removed" INTEGER NOT NULL DEFAULT 0,
    "syncRunId" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "XDrain_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "XDrain_userId_createdAt_idx" ON "XDrain"("userId", "createdAt" DESC);

-- AddForeignKey
ALTER TABLE "XDrain" ADD CONSTRAINT "XDrain_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

