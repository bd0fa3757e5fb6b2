/**
 * Prisma CLI wrapper: `generate`, `migrate deploy`, … run as usual, through the wasm schema
 * engine on machines that cannot download Prisma's native one (see services.ts).
 *
 *   npm run db:new-migration -- <name>   writes prisma/migrations/<UTC stamp>_<name>/migration.sql
 *                                        from the schema's changes (no prompt, works without a TTY)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { dropDatabase, ensurePostgres, prisma, ROOT, SetupError, withDatabase } from "./services";

const args = process.argv.slice(2);
try {
  if (args[0] === "new-migration") {
    const name = (args[1] ?? "").replace(/[^\w]+/g, "_");
    if (!name) throw new SetupError("usage: npm run db:new-migration -- <name>");
    const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    const engine = path.resolve(ROOT, "../shared/tools/prisma-wasm-engine.mjs");
    const env = {
      ...process.env,
      ...(existsSync(engine) && !process.env.PRISMA_SCHEMA_ENGINE_BINARY && { PRISMA_SCHEMA_ENGINE_BINARY: engine }),
    };
    // Diff against a scratch database with the committed migrations applied. (`--from-migrations`
    // prints nothing through the wasm schema engine, so it cannot be trusted here.)
    const pgService = await ensurePostgres({ url: process.env.DATABASE_URL, log: console.log });
    const scratch = withDatabase(pgService.url, `xb_migrate_scratch_${process.pid}`);
    let sql: string;
    try {
      await dropDatabase(scratch);
      prisma(["migrate", "deploy"], { ...env, DATABASE_URL: scratch });
      sql = execFileSync(
        path.join(ROOT, "node_modules/.bin/prisma"),
        ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--script"],
        { cwd: ROOT, encoding: "utf8", env: { ...env, DATABASE_URL: scratch } },
      );
    } finally {
      await dropDatabase(scratch).catch(() => undefined);
      await pgService.stop();
    }
    if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
      console.log("The schema has no changes: no migration written.");
    } else {
      const dir = path.join(ROOT, "prisma/migrations", `${stamp}_${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, "migration.sql"), sql);
      console.log(`wrote ${path.relative(ROOT, dir)}/migration.sql`);
    }
  } else {
    prisma(args, process.env);
  }
} catch (e) {
  console.error(e instanceof SetupError ? e.message : e);
  process.exit(1);
}
