/**
 * `npm run backup` / `npm run restore` round trip on a database of its own: a seeded library
 * (users, posts, bookmarks, tags, sync runs) and media files are backed up, wiped, restored, and
 * come back equal, row for row and byte for byte. Also the refusals: no --yes, not a backup, an
 * unreachable database: a clear message, exit 1, nothing changed.
 */
import { spawnSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { closeDb, createPrisma, type Db } from "~/server/db";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { ROOT } from "~/testing/node-process";
import { pgTool } from "./backup-support";
import { dropDatabase, prisma, withDatabase } from "./services";

const url = withDatabase(env.DATABASE_URL, `xb_backup_${randomUUID().slice(0, 8)}`);
const tmp = mkdtempSync(path.join(tmpdir(), "xb-backup-"));
const mediaDir = path.join(tmp, "media");
let db: Db;

/** Runs an npm script's file with tsx; its exit code and output. */
function run(script: string, args: string[], extraEnv: Record<string, string> = {}) {
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, MEDIA_DIR: mediaDir, ...extraEnv },
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

/** Every table's row count and a digest of its rows in a fixed order: the library's state. */
async function snapshot(): Promise<Record<string, { rows: number; digest: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>(
      `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    const out: Record<string, { rows: number; digest: string }> = {};
    for (const { name } of tables) {
      const { rows } = await client.query<{ rows: string; digest: string | null }>(
        `SELECT count(*) AS rows, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM "${name}" t`,
      );
      out[name] = { rows: Number(rows[0]!.rows), digest: rows[0]!.digest ?? "" };
    }
    return out;
  } finally {
    await client.end();
  }
}

function mediaFiles(dir: string): Record<string, string> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return Object.fromEntries(
    files.map((e) => [
      path.relative(dir, path.join(e.parentPath, e.name)),
      readFileSync(path.join(e.parentPath, e.name)).toString("base64"),
    ]),
  );
}

/** Why this suite cannot run here (no client tools, or ones older than the server), else null. */
async function missingTools(): Promise<string | null> {
  try {
    const version = spawnSync(pgTool("pg_dump"), ["--version"], { encoding: "utf8" }).stdout;
    pgTool("pg_restore");
    const client = new pg.Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    const server = Number((await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v) / 10_000;
    await client.end();
    const major = Number(/(\d+)(\.\d+)?/.exec(version)?.[1]);
    return major >= Math.floor(server)
      ? null
      : `pg_dump ${major} is older than the server (${Math.floor(server)}): install the server's client tools`;
  } catch (e) {
    return (e as Error).message;
  }
}
const skipReason = await missingTools();
if (skipReason) console.warn(`scripts/backup.int.test.ts skipped: ${skipReason}`);

describe.skipIf(skipReason !== null)("npm run backup / npm run restore", () => {
  beforeAll(async () => {
    await dropDatabase(url);
    prisma(["migrate", "deploy"], { ...process.env, DATABASE_URL: url });
    db = createPrisma(url);
    for (const n of [3, 40]) {
      const user = await createLibraryUser(db);
      await seedBookmarks(
        db,
        user.id,
        Array.from({ length: n }, (_, i) => ({ text: `post ${i} ブックマーク #${n}`, lang: i % 2 ? "ja" : "en", media: i % 3 === 0 })),
      );
      const tag = await db.tag.create({ data: { userId: user.id, name: `Tag ${n}`, key: `tag ${n}` } });
      await db.bookmark.updateMany({
        where: { userId: user.id, postText: { startsWith: "post 1" } },
        data: { tagIds: [tag.id], tagText: tag.name, note: "a note ✓", favorite: true },
      });
    }
    mkdirSync(path.join(mediaDir, "ab"), { recursive: true });
    writeFileSync(path.join(mediaDir, "ab", "photo.jpg"), randomBytes(50_000));
    writeFileSync(path.join(mediaDir, "video.mp4"), randomBytes(120_000));
  }, 60_000);

  afterAll(async () => {
    await closeDb(db);
    await dropDatabase(url);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("round trip: backup, wipe the database and the media store, restore: the library is equal", async () => {
    const before = await snapshot();
    expect(before.Bookmark!.rows).toBe(43);
    expect(before._prisma_migrations!.rows).toBeGreaterThan(0);
    const mediaBefore = mediaFiles(mediaDir);

    const out = path.join(tmp, "backup-1");
    const b = run("scripts/backup.ts", ["--out", out]);
    expect(b.code, b.out).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["database.dump", "manifest.json", "media"]);
    expect(JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8")).media).toEqual({ files: 2, bytes: 170_000 });

    // Wipe: an empty database (no tables at all) and no media store.
    await closeDb(db);
    await dropDatabase(url);
    const admin = new pg.Client({ connectionString: withDatabase(url, "postgres") });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${new URL(url).pathname.slice(1)}"`);
    await admin.end();
    rmSync(mediaDir, { recursive: true });
    expect(await snapshot()).toEqual({});

    const r = run("scripts/restore.ts", [out, "--yes"]);
    expect(r.code, r.out).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(mediaFiles(mediaDir)).toEqual(mediaBefore);
    // The app reads the restored library through Prisma as before.
    db = createPrisma(url);
    expect(await db.bookmark.count()).toBe(43);
  }, 120_000);

  it("restore over a changed library puts the backup's state back, and keeps media files it does not have", async () => {
    const out = path.join(tmp, "backup-2");
    expect(run("scripts/backup.ts", ["--out", out]).code).toBe(0);
    const before = await snapshot();
    const user = await createLibraryUser(db);
    await seedBookmarks(db, user.id, [{ text: "after the backup" }]);
    await db.bookmark.deleteMany({ where: { NOT: { userId: user.id } } });
    writeFileSync(path.join(mediaDir, "new.jpg"), "newer");

    const r = run("scripts/restore.ts", [out, "--yes"]);
    expect(r.code, r.out).toBe(0);
    expect(await snapshot()).toEqual(before);
    expect(readFileSync(path.join(mediaDir, "new.jpg"), "utf8")).toBe("newer");
  }, 120_000);

  it("refuses without --yes, for a directory that is not a backup, and into an existing non-empty --out: clear message, exit 1, nothing changed", async () => {
    const out = path.join(tmp, "backup-3");
    expect(run("scripts/backup.ts", ["--out", out]).code).toBe(0);
    const before = await snapshot();

    const noYes = run("scripts/restore.ts", [out]);
    expect(noYes.code).toBe(1);
    expect(noYes.out).toMatch(/This replaces the data in 127\.0\.0\.1:5432\/xb_backup_\w+ with the backup taken .*run it again with --yes/);

    const notBackup = run("scripts/restore.ts", [tmp, "--yes"]);
    expect(notBackup.code).toBe(1);
    expect(notBackup.out).toContain("is not a backup from `npm run backup`: database.dump is missing.");

    const usage = run("scripts/restore.ts", ["--yes"]);
    expect(usage.code).toBe(1);
    expect(usage.out).toContain("usage: npm run restore -- <backup directory> --yes");

    const occupied = run("scripts/backup.ts", ["--out", out]);
    expect(occupied.code).toBe(1);
    expect(occupied.out).toContain("exists and is not empty");

    expect(await snapshot()).toEqual(before);
    for (const r of [noYes, notBackup, usage, occupied]) expect(r.out).not.toMatch(/\n\s+at /); // no stack traces
  }, 60_000);

  it("an unreachable database or a bad URL: a clear message without the password, exit 1", () => {
    const down = run("scripts/backup.ts", ["--out", path.join(tmp, "never")], {
      DATABASE_URL: "postgresql://xb:s3cret-pw@127.0.0.1:1/nothing",
    });
    expect(down.code).toBe(1);
    expect(down.out).toMatch(/pg_dump failed:[\s\S]*127\.0\.0\.1/);
    expect(down.out).not.toContain("s3cret-pw");
    expect(down.out).not.toMatch(/\n\s+at /);

    const bad = run("scripts/backup.ts", [], { DATABASE_URL: "mysql://x@y/z" });
    expect(bad.code).toBe(1);
    expect(bad.out).toContain("DATABASE_URL must be a postgresql:// URL.");
  });
});
