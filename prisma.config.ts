import { defineConfig } from "prisma/config";

// DATABASE_URL is optional here so that `prisma generate` works without a database;
// migrate commands need it and say so.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
