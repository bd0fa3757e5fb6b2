-- CreateTable
CREATE TABLE "AdminHandleGrant" (
    "handle" TEXT NOT NULL,
    "xId" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AdminHandleGrant_pkey" PRIMARY KEY ("handle")
);
