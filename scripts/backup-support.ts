/**
 * What `npm run backup` and `npm run restore` share: the backup's layout, the Postgres client
 * tools found on this machine, and the database URL in the form libpq takes.
 *
 * A backup is a directory:
 *   database.dump   pg_dump's custom format (schema, data and migration history; no owners/grants)
 *   media/          a copy of the media store (MEDIA_DIR), when one is set and exists
 *   manifest.json   when, from which database, what pg_dump, how many media files and bytes
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { SetupError } from "./services";

export const DUMP_FILE = "database.dump";
export const MEDIA_SUBDIR = "media";
export const MANIFEST_FILE = "manifest.json";

export interface Manifest {
  createdAt: string;
  database: string;
  pgDump: string;
  media: { files: number; bytes: number } | null;
}

/**
 * pg_dump / pg_restore (and the server tools tests use): on PATH, else the newest Debian/Ubuntu PostgreSQL install. A client older
 * than the server refuses to dump it, so the newest one found is the one to use.
 */
export function pgTool(name: "pg_dump" | "pg_restore" | "initdb" | "pg_ctl" | "pg_basebackup"): string {
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  for (const v of versions) {
    const bin = path.join(debian, v, "bin", name);
    if (existsSync(bin)) return bin;
  }
  const onPath = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  if (onPath.status === 0) return onPath.stdout.trim();
  throw new SetupError(
    `${name} not found: install PostgreSQL's client tools, the same major version as the server or newer (apt-get install postgresql-client, brew install libpq).`,
  );
}

/** libpq's connection settings for `url`: the password goes in the environment, not on the command line. */
export function libpqTarget(url: string | undefined): { dbname: string; env: NodeJS.ProcessEnv; label: string } {
  if (!url) throw new SetupError("DATABASE_URL is not set: it names the database to back up or restore (see .env.example).");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SetupError("DATABASE_URL is not a URL (postgresql://user:password@host:5432/database).");
  }
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new SetupError("DATABASE_URL must be a postgresql:// URL.");
  const password = decodeURIComponent(u.password);
  u.password = "";
  // Prisma's own parameters (schema, connection_limit, …) are not libpq's: keep only libpq's.
  const libpq = new Set([
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "application_name",
    "options",
    "target_session_attrs",
  ]);
  for (const key of [...u.searchParams.keys()]) if (!libpq.has(key)) u.searchParams.delete(key);
  return {
    dbname: u.toString(),
    env: { ...process.env, ...(password && { PGPASSWORD: password }) },
    label: `${u.hostname}:${u.port || 5432}${u.pathname}`,
  };
}

/** Files and bytes under `dir` (0 and 0 when it does not exist). */
export function treeSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!existsSync(dir)) return { files, bytes };
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    files += 1;
    bytes += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}

/** Runs a client tool; a failure is a SetupError with its own message (never a stack trace). */
export function runTool(bin: string, args: string[], env: NodeJS.ProcessEnv, what: string): string {
  const r = spawnSync(bin, args, { env, encoding: "utf8" });
  if (r.error) throw new SetupError(`${what}: cannot run ${bin}: ${r.error.message}`);
  if (r.status !== 0) throw new SetupError(`${what} failed:\n${(r.stderr || r.stdout || "").trim()}`);
  return r.stdout;
}
