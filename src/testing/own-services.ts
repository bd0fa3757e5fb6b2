/**
 * A test's own Redis or Postgres server, to stop and start at will: the shared ones on 6379 and
 * 5432 serve every engineer and test run, and must never be stopped. Each starts on a free port
 * with its data in a temporary folder, and is removed by `close()`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { freePort } from "./node-process";
import { until } from "./until";

const REDIS_SERVER = "/usr/bin/redis-server";

export interface OwnService {
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once("exit", () => r()));
}

export const canStartOwnRedis = () => existsSync(REDIS_SERVER);

/** redis-server on a free port, no persistence. */
export async function startOwnRedis(): Promise<OwnService> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}/0`;
  let child: ChildProcess | null = null;
  const start = async () => {
    child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    await until(
      "own redis-server to answer",
      async () =>
        (await probe
          .connect()
          .then(() => probe.ping())
          .catch(() => null)) === "PONG",
      10_000,
    );
    probe.disconnect();
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c) return;
    c.kill("SIGKILL"); // by its own pid: only this test's server
    await exited(c);
  };
  await start();
  return { url, start, stop, close: stop };
}

/** The Debian PostgreSQL server binaries, if installed. */
function postgresBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(path.join(base, v, "bin", "initdb"))) return path.join(base, v, "bin");
  return null;
}

const asRoot = () => userInfo().uid === 0;
export const canStartOwnPostgres = () => postgresBin() !== null && (!asRoot() || spawnSync("id", ["postgres"]).status === 0);

/** A throwaway PostgreSQL cluster on a free port (trust auth; run as `postgres` when we are root). */
export async function startOwnPostgres(): Promise<OwnService> {
  const bin = postgresBin();
  if (!bin) throw new Error("no PostgreSQL server binaries");
  const dir = mkdtempSync(path.join(tmpdir(), "xb-own-pg-"));
  const as = (cmd: string, args: string[]) => (asRoot() ? { cmd: "runuser", args: ["-u", "postgres", "--", cmd, ...args] } : { cmd, args });
  if (asRoot())
    chownSync(
      dir,
      Number(spawnSync("id", ["-u", "postgres"]).stdout.toString().trim()),
      Number(spawnSync("id", ["-g", "postgres"]).stdout.toString().trim()),
    );
  const init = as(path.join(bin, "initdb"), ["-D", dir, "-A", "trust", "-U", "postgres", "--no-sync"]);
  const r = spawnSync(init.cmd, init.args, { stdio: "pipe" });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr.toString()}`);
  const port = await freePort();
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | null = null;
  const start = async () => {
    const run = as(path.join(bin, "postgres"), [
      "-D",
      dir,
      "-p",
      String(port),
      "-k",
      dir,
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "fsync=off",
    ]);
    child = spawn(run.cmd, run.args, { stdio: "ignore" });
    await until(
      "own postgres to answer",
      async () => {
        const c = new pg.Client({ connectionString: url });
        try {
          await c.connect();
          await c.query("SELECT 1");
          return true;
        } catch {
          return false;
        } finally {
          await c.end().catch(() => undefined);
        }
      },
      20_000,
    );
  };
  const stop = async () => {
    const c = child;
    child = null;
    if (!c) return;
    // Immediate shutdown of this cluster only (pg_ctl by data folder), then its runuser parent exits.
    const halt = as(path.join(bin, "pg_ctl"), ["stop", "-D", dir, "-m", "immediate", "-w"]);
    spawnSync(halt.cmd, halt.args, { stdio: "ignore" });
    await exited(c);
  };
  await start();
  return {
    url,
    start,
    stop,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
