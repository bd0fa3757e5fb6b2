/**
 * What `npm run dev` and `npm run dev:cluster` share: the services found or started, the
 * migrations, waiting for a web process, and stopping everything on Ctrl-C or failure.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ensurePostgres, ensureRedis, prisma, redact, ROOT, SetupError, type Service } from "./services";

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
  prisma(["generate"], env);
  prisma(["migrate", "deploy"], env);
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

/**
 * The processes `concurrently` runs, as something to stop: each one's whole tree (a signal to
 * this process alone, from a process manager or `kill`, must not leave them running).
 */
export function processesOf(run: { commands: { kill(signal?: string): void }[]; result: Promise<unknown> }): Pick<Service, "stop"> {
  return {
    async stop() {
      for (const c of run.commands) c.kill("SIGTERM");
      await Promise.race([run.result.catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
    },
  };
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
