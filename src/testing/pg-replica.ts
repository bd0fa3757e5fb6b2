/**
 * A PostgreSQL primary and its streaming replica of their own (temporary data directories, free
 * ports), for the read-replica tests: built with the server's own tools (initdb, pg_basebackup
 * -R), so replication is the real thing. Not the shared test server: its replica would copy
 * every other suite's databases.
 */
import { spawnSync } from "node:child_process";
import { appendFileSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./node-process";
import { pgTool } from "../../scripts/backup-support";

export interface ReplicaPair {
  primaryUrl: (database: string) => string;
  replicaUrl: (database: string) => string;
  /** Stops the replica's server (as a crash would); the primary keeps running. */
  stopReplica(): void;
  stop(): void;
}

/** Root may not run a Postgres server: run the tools as the `postgres` user then. */
function asPostgres(tool: string, args: string[]) {
  const root = process.getuid?.() === 0;
  const r = root
    ? spawnSync("runuser", ["-u", "postgres", "--", tool, ...args], { encoding: "utf8" })
    : spawnSync(tool, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${path.basename(tool)} ${args.join(" ")} failed: ${r.error?.message ?? ""}${r.stderr}${r.stdout}`);
}

function postgresUid(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => Number(spawnSync("id", [flag, "postgres"], { encoding: "utf8" }).stdout.trim());
  return { uid: id("-u"), gid: id("-g") };
}

/** Why a replica pair cannot be started here (missing tools or user), else null. */
export function replicaPairUnavailable(): string | null {
  try {
    for (const t of ["initdb", "pg_ctl", "pg_basebackup"] as const) pgTool(t);
  } catch (e) {
    return `${(e as Error).message} (the server tools: apt-get install postgresql)`;
  }
  if (process.getuid?.() === 0 && spawnSync("id", ["-u", "postgres"]).status !== 0)
    return "running as root without a `postgres` user to run the servers as";
  return null;
}

export async function startReplicaPair(): Promise<ReplicaPair> {
  const dir = mkdtempSync(path.join(tmpdir(), "xb-replica-"));
  const owner = postgresUid();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const primary = path.join(dir, "primary");
  const replica = path.join(dir, "replica");
  const [pPort, rPort] = [await freePort(), await freePort()];
  const pgCtl = pgTool("pg_ctl");

  asPostgres(pgTool("initdb"), ["-D", primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const common = [
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${dir}'`,
    "fsync = off",
    "full_page_writes = off",
    "synchronous_commit = off",
  ];
  appendFileSync(primary + "/postgresql.conf", [...common, `port = ${pPort}`, "wal_level = replica", "max_wal_senders = 4", ""].join("\n"));
  asPostgres(pgCtl, ["-D", primary, "-w", "-l", path.join(dir, "primary.log"), "start"]);
  const stopped = new Set<string>();
  const stopServer = (data: string) => {
    if (stopped.has(data)) return;
    stopped.add(data);
    try {
      asPostgres(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // already gone
    }
  };
  try {
    // -R: standby.signal and primary_conninfo, so it starts as a streaming replica of the primary.
    asPostgres(pgTool("pg_basebackup"), [
      "-h",
      "127.0.0.1",
      "-p",
      String(pPort),
      "-U",
      "postgres",
      "-D",
      replica,
      "-R",
      "-X",
      "stream",
      "--no-sync",
    ]);
    appendFileSync(replica + "/postgresql.conf", `port = ${rPort}\nhot_standby = on\n`);
    asPostgres(pgCtl, ["-D", replica, "-w", "-l", path.join(dir, "replica.log"), "start"]);
  } catch (e) {
    stopServer(primary);
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    primaryUrl: (db) => `postgresql://postgres@127.0.0.1:${pPort}/${db}`,
    replicaUrl: (db) => `postgresql://postgres@127.0.0.1:${rPort}/${db}`,
    stopReplica: () => stopServer(replica),
    stop() {
      stopServer(replica);
      stopServer(primary);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
