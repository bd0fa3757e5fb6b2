/**
 * `npm run dev`: everything X Bookmarker needs on one laptop, with one command.
 * Postgres and Redis (found or started), migrations, the X sandbox (when no X credentials are
 * set), the worker and the web app. Ctrl-C stops what it started.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import concurrently from "concurrently";
import { ensurePostgres, ensureRedis, prisma, redact, ROOT, SetupError, type Service } from "./services";

const log = (m: string) => console.log(`\x1b[36m[dev]\x1b[0m ${m}`);
const started: Service[] = [];

async function main() {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const e = process.env;

  const postgres = await ensurePostgres({ url: e.DATABASE_URL, log });
  started.push(postgres);
  const redis = await ensureRedis({ url: e.REDIS_URL, log });
  started.push(redis);
  log(`Postgres: ${postgres.source} (${redact(postgres.url)})`);
  log(`Redis:    ${redis.source} (${redis.url})`);

  const port = Number(e.PORT ?? 3000);
  const sandboxPort = Number(e.X_SANDBOX_PORT ?? 4010);
  const useSandbox = !e.X_CLIENT_ID;
  const appUrl = e.NEXTAUTH_URL ?? `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...e,
    NODE_ENV: "development",
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    NEXTAUTH_URL: appUrl,
    PORT: String(port),
    X_SANDBOX_PORT: String(sandboxPort),
    FORCE_COLOR: "1",
  };

  log("applying database migrations…");
  prisma(["generate"], env);
  prisma(["migrate", "deploy"], env);

  const commands = [
    ...(useSandbox ? [{ name: "x-sandbox", command: "tsx sandbox/main.ts", env, prefixColor: "magenta" }] : []),
    { name: "worker", command: "tsx watch --clear-screen=false worker/main.ts", env, prefixColor: "yellow" },
    { name: "web", command: "tsx src/server/main.ts", env, prefixColor: "green" },
  ];
  const { result } = concurrently(commands, { prefix: "name", killOthersOn: ["failure"], cwd: ROOT });

  void waitForWeb(appUrl).then((ok) => {
    if (!ok) return;
    console.log(
      [
        "",
        `  \x1b[1mX Bookmarker is running at ${appUrl}\x1b[0m`,
        useSandbox
          ? `  Log in with X → the local X sandbox → pick "Demo User (@demo)", 800 bookmarks → Authorize app.`
          : `  Log in with your X account (real X API at ${e.X_API_URL ?? "https://api.x.com"}).`,
        useSandbox ? `  X sandbox: http://127.0.0.1:${sandboxPort} (control API under /_sandbox/, see README)` : "",
        "  Ctrl-C stops everything.",
        "",
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
  });

  await result.catch(() => undefined);
}

async function waitForWeb(url: string): Promise<boolean> {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`${url}/login`, { redirect: "manual" });
      if (res.status < 500) return true;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function stopAll() {
  await Promise.allSettled(started.map((s) => s.stop()));
}

process.on("SIGINT", () => void stopAll().then(() => process.exit(0)));
process.on("SIGTERM", () => void stopAll().then(() => process.exit(0)));

main()
  .then(stopAll)
  .catch(async (err: unknown) => {
    console.error(`\n\x1b[31m${err instanceof SetupError ? err.message : String((err as Error)?.stack ?? err)}\x1b[0m\n`);
    await stopAll();
    process.exit(1);
  });
