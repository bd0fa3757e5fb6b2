/**
 * `npm run restore -- <backup dir> --yes`: puts a backup from `npm run backup` back. The
 * database named by DATABASE_URL gets the dump's tables, data and migration history, replacing
 * what is there (one transaction: a failed restore changes nothing); the media files are copied
 * into MEDIA_DIR (files the backup does not have are left in place, never deleted). Stop the
 * web and the worker first. Then `npm start` (or start:web) applies migrations newer than the backup.
 */
import { cpSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DUMP_FILE, libpqTarget, MANIFEST_FILE, MEDIA_SUBDIR, pgTool, runTool, treeSize, type Manifest } from "./backup-support";
import { ROOT, SetupError } from "./services";

function main() {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const { values, positionals } = parseArgs({ options: { yes: { type: "boolean", default: false } }, allowPositionals: true });
  const dir = positionals[0];
  if (!dir || positionals.length > 1) throw new SetupError("usage: npm run restore -- <backup directory> --yes");
  const from = path.resolve(dir);
  const dump = path.join(from, DUMP_FILE);
  if (!existsSync(dump)) throw new SetupError(`${from} is not a backup from \`npm run backup\`: ${DUMP_FILE} is missing.`);
  const manifest = existsSync(path.join(from, MANIFEST_FILE))
    ? (JSON.parse(readFileSync(path.join(from, MANIFEST_FILE), "utf8")) as Manifest)
    : null;
  const db = libpqTarget(process.env.DATABASE_URL);
  if (!values.yes) {
    throw new SetupError(
      `This replaces the data in ${db.label} with the backup${manifest ? ` taken ${manifest.createdAt}` : ""}. Stop the web and the worker, then run it again with --yes.`,
    );
  }
  const pgRestore = pgTool("pg_restore");
  console.log(`restoring ${dump} → ${db.label}`);
  runTool(
    pgRestore,
    ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${db.dbname}`, dump],
    db.env,
    "pg_restore",
  );

  const media = path.join(from, MEDIA_SUBDIR);
  const mediaDir = process.env.MEDIA_DIR;
  if (existsSync(media)) {
    if (!mediaDir)
      throw new SetupError(`The database is restored; the backup also has media files: set MEDIA_DIR and run again to copy them.`);
    mkdirSync(mediaDir, { recursive: true });
    cpSync(media, mediaDir, { recursive: true, force: true, preserveTimestamps: true });
    const { files, bytes } = treeSize(media);
    console.log(`media: ${files} files, ${bytes} bytes → ${mediaDir}`);
  }
  console.log("restore complete; start the app (migrations newer than the backup are applied at start).");
}

try {
  main();
} catch (e) {
  console.error(`\n${e instanceof SetupError ? e.message : String((e as Error)?.stack ?? e)}\n`);
  process.exit(1);
}
