-- CreateEnum
CREATE TYPE "SyncTrigger" AS ENUM ('MANUAL', 'SCHEDULED');

-- AlterTable
ALTER TABLE "Bookmark" ADD COLUMN     "lastSeenRunId" TEXT,
ADD COLUMN     "removedOnXAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "SyncRun" ADD COLUMN     "billableReads" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "estimatedCostUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "partialSuccess" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "postsRead" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "rateLimitWaitMs" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "removed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "seenFloorKey" BIGINT,
ADD COLUMN     "trigger" "SyncTrigger" NOT NULL DEFAULT 'MANUAL',
ADD COLUMN     "waitKind" TEXT,
ADD COLUMN     "waitingUntil" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "freshnessMinutes" INTEGER DEFAULT 60,
ADD COLUMN     "lastSyncedAt" TIMESTAMP(3);

