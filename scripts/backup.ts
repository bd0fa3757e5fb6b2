/**
 * `npm run backup [-- --out <dir>]`: the database (pg_dump, custom format) and the media store
 * (MEDIA_DIR) into one directory, by default backups/<UTC time>/. Safe while the app runs: the
 * dump is one consistent snapshot; media files are only ever added, so a copy taken after it has
 * at least every file the dump refers to. Layout and tools: backup-support.ts.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DUMP_FILE, libpqTarget, MANIFEST_FILE, MEDIA_SUBDIR, pgTool, runTool, treeSize, type Manifest } from "./backup-support";
import { ROOT, SetupError } from "./services";

function main() {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const { values } = parseArgs({ options: { out: { type: "string" } } });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "Z");
  const out = path.resolve(values.out ?? path.join(ROOT, "backups", stamp));
  if (existsSync(out) && readdirSync(out).length > 0) throw new SetupError(`${out} exists and is not empty: choose another --out.`);
  const db = libpqTarget(process.env.DATABASE_URL);
  const pgDump = pgTool("pg_dump");
  mkdirSync(out, { recursive: true });

  console.log(`backing up ${db.label} → ${path.join(out, DUMP_FILE)}`);
  runTool(
    pgDump,
    ["--format=custom", "--no-owner", "--no-privileges", `--file=${path.join(out, DUMP_FILE)}`, `--dbname=${db.dbname}`],
    db.env,
    "pg_dump",
  );

  const mediaDir = process.env.MEDIA_DIR;
  let media: Manifest["media"] = null;
  if (mediaDir && existsSync(mediaDir)) {
    cpSync(mediaDir, path.join(out, MEDIA_SUBDIR), { recursive: true, preserveTimestamps: true });
    media = treeSize(path.join(out, MEDIA_SUBDIR));
    console.log(`media: ${media.files} files, ${media.bytes} bytes from ${mediaDir}`);
  } else {
    console.log(mediaDir ? `media: ${mediaDir} does not exist; nothing to copy` : "media: MEDIA_DIR not set; nothing to copy");
  }
  const version = runTool(pgDump, ["--version"], db.env, "pg_dump --version").trim();
  const manifest: Manifest = { createdAt: new Date().toISOString(), database: db.label, pgDump: version, media };
  writeFileSync(path.join(out, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + "\n");
  console.log(`backup written to ${out}\nrestore with: npm run restore -- ${path.relative(process.cwd(), out) || "."} --yes`);
}

try {
  main();
} catch (e) {
  console.error(`\n${e instanceof SetupError ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
}
