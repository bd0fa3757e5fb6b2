import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/env";
import { PrismaClient } from "~/generated/prisma/client";

export function createPrisma(url: string = env.DATABASE_URL) {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
}

export type Db = ReturnType<typeof createPrisma>;

// One client per process; survive Next's dev reloads.
const globalForDb = globalThis as unknown as { db?: Db };
export const db: Db = globalForDb.db ?? createPrisma();
if (env.NODE_ENV !== "production") globalForDb.db = db;
