/**
 * `npm run dev`: everything X Bookmarker needs on one laptop, with one command.
 * Postgres and Redis (found or started), migrations, the X sandbox (when no X credentials are
 * set), the worker and the web app, each restarted when it crashes (scripts/supervisor.ts) while
 * the others keep running. Ctrl-C stops what it started.
 */
import { DEV_WATCH, migrate, runDev, SANDBOX_RESTART_NOTE, startServices, supervise, tsxNode, waitForWeb } from "./dev-support";
import type { Service } from "./services";

const log = (m: string) => console.log(`\x1b[36m[dev]\x1b[0m ${m}`);
const started: Service[] = [];
/** The app's own processes (sandbox, worker, web), stopped before the services. */
const apps: Pick<Service, "stop">[] = [];

async function main() {
  const { postgres, redis } = await startServices(log, started);
  const e = process.env;

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

  migrate(log, env);

  // The worker restarts when its code changes (DEV_WATCH); the web has Next's hot reload.
  const sup = supervise(
    [
      ...(useSandbox ? [{ name: "x-sandbox", ...tsxNode("sandbox/main.ts"), env, color: 35, restartNote: SANDBOX_RESTART_NOTE }] : []),
      { name: "worker", ...tsxNode("worker/main.ts"), env, color: 33, watch: DEV_WATCH },
      { name: "web", ...tsxNode("src/server/main.ts"), env, color: 32 },
    ],
    apps,
    log,
  );

  void waitForWeb(appUrl, "/login").then((ok) => {
    if (!ok) return;
    console.log(
      [
        "",
        `  \x1b[1mX Bookmarker is running at ${appUrl}\x1b[0m`,
        useSandbox
          ? `  Log in with X → the local X sandbox → pick "Demo User (@demo)", 800 bookmarks → Authorize app.`
          : `  Log in with your X account (real X API at ${e.X_API_URL ?? "https://api.x.com"}).`,
        useSandbox ? `  X sandbox: http://127.0.0.1:${sandboxPort} (control API under /_sandbox/, see README)` : "",
        "  A part that crashes is restarted (1 s → 30 s backoff; given up after 5 crashes a minute). Ctrl-C stops everything.",
        "",
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
  });

  await sup.done;
}

runDev(main, started, apps);
