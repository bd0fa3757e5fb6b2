/**
 * What `npm run dev` and `npm run dev:cluster` share: the services found or started, the
 * migrations, waiting for a web process, and stopping everything on Ctrl-C or failure.
 */
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { ensurePostgres, ensureRedis, prisma, redact, ROOT, SetupError, type Service } from "./services";
import { SUPERVISOR_STOP_TIMEOUT_MS, Supervisor, type ProcessSpec } from "./supervisor";

/** Loads .env, then finds or starts Postgres and Redis (stopped again by `runDev`). */
export async function startServices(log: (m: string) => void, started: Service[]) {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const postgres = await ensurePostgres({ url: process.env.DATABASE_URL, log });
  started.push(postgres);
  const redis = await ensureRedis({ url: process.env.REDIS_URL, log });
  started.push(redis);
  log(`Postgres: ${postgres.source} (${redact(postgres.url)})`);
  log(`Redis:    ${redis.source} (${redis.url})`);
  return { postgres, redis };
}

export function migrate(log: (m: string) => void, env: NodeJS.ProcessEnv): void {
  log("applying database migrations…");
  if (clientIsStale()) prisma(["generate"], env);
  prisma(["migrate", "deploy"], env);
}

/**
 * The generated Prisma client is missing or older than the schema or the installed packages.
 * Regenerating an up-to-date client would rewrite files other processes (tests, a running
 * server) may be loading at that moment.
 */
function clientIsStale(): boolean {
  const client = path.join(ROOT, "src/generated/prisma/client.ts");
  if (!existsSync(client)) return true;
  const built = statSync(client).mtimeMs;
  return ["prisma/schema.prisma", "package-lock.json"].some((f) => statSync(path.join(ROOT, f)).mtimeMs > built);
}

/** Resolves true once `url` + `probe` answers below 500 (false after 5 minutes). */
export async function waitForWeb(url: string, probe = "/api/health"): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${url}${probe}`, { redirect: "manual" });
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** What a restarted X sandbox loses: said in the log when it comes back. */
export const SANDBOX_RESTART_NOTE =
  "The X sandbox keeps its accounts in memory: a restarted one has only the seeded accounts again (log in with X again; accounts made through its control API are gone).";

/** What the worker imports: a change restarts it in development (the web has Next's hot reload). */
export const DEV_WATCH = ["worker", "src/server", "src/lib", "src/env.ts"];

/** `node --import tsx <file>`: one process per app part (its pid is the one to watch and kill). */
export const tsxNode = (file: string) => ({ command: process.execPath, args: ["--import", "tsx", file] });

/**
 * Supervises the app's processes (restarts after crashes, keeps the others running) until they
 * all give up or Ctrl-C; registers them with `runDev` so stopping stops them first.
 */
export function supervise(specs: ProcessSpec[], apps: Pick<Service, "stop">[], log: (m: string) => void): Supervisor {
  const sup = new Supervisor(specs, { cwd: ROOT, log, stopTimeoutMs: SUPERVISOR_STOP_TIMEOUT_MS });
  apps.push({ stop: () => sup.stop() });
  sup.start();
  return sup;
}

/** Runs `main`, stopping what it started when it ends, fails, or gets Ctrl-C / SIGTERM. */
export function runDev(main: () => Promise<void>, started: Service[], apps: Pick<Service, "stop">[]): void {
  const stopAll = async () => {
    // The app's processes first (they use the services), then the services.
    await Promise.allSettled(apps.map((a) => a.stop()));
    await Promise.allSettled(started.map((s) => s.stop()));
  };
  process.on("SIGINT", () => void stopAll().then(() => process.exit(0)));
  process.on("SIGTERM", () => void stopAll().then(() => process.exit(0)));
  main()
    .then(stopAll)
    .catch(async (err: unknown) => {
      console.error(`\n\x1b[31m${err instanceof SetupError ? err.message : String((err as Error)?.stack ?? err)}\x1b[0m\n`);
      await stopAll();
      process.exit(1);
    });
}
