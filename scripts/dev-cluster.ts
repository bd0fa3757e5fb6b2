/**
 * `npm run dev:cluster`: the scale-out topology (issue #6, point 6) on one laptop: two web
 * processes and two workers on one Postgres, one Redis and one X sandbox, so a tab on web A sees
 * edits made through web B and sync progress from either worker.
 *
 *   npm run dev:cluster [-- --build]
 *
 * Web A answers on PORT (3000), web B on PORT + 2 (3002); the workers' health ports are
 * WORKER_PORT (3001) and WORKER_PORT + 2 (3003; + 1 would be web B's 3002). Ctrl-C stops everything it started.
 *
 * The web processes serve the production build of the pages (.next, from `npm run build` or
 * `--build`): Next 16 locks .next for one `next dev` server per directory, so two dev servers
 * cannot share it. Their server code (tRPC over WebSocket, the custom server) runs from src/
 * through tsx; the workers restart on code changes as in `npm run dev`. Each process is restarted
 * when it crashes (scripts/supervisor.ts) while the others keep running. Cookies do not depend on
 * the port, so logging in on one URL logs you in on the other (same host name, same database
 * sessions).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { DEV_WATCH, migrate, runDev, SANDBOX_RESTART_NOTE, startServices, supervise, tsxNode, waitForWeb } from "./dev-support";
import { ROOT, SetupError, type Service } from "./services";
import { DEV_NEXTAUTH_SECRET, DEV_TOKEN_KEY } from "../src/lib/dev-secrets";

const log = (m: string) => console.log(`\x1b[36m[cluster]\x1b[0m ${m}`);
const started: Service[] = [];
/** The app's own processes (sandbox, worker, web), stopped before the services. */
const apps: Pick<Service, "stop">[] = [];
const { values: opt } = parseArgs({ options: { build: { type: "boolean", default: false } } });

// The web processes run in production mode, which requires the secrets: default them to the
// development ones `npm run dev` uses, so sessions and stored X tokens stay readable in both.
// Production refuses those unless it runs against the X sandbox on a loopback address: with real
// X credentials, put your own secrets in .env.

async function main() {
  const { postgres, redis } = await startServices(log, started);
  const e = process.env;

  const port = Number(e.PORT ?? 3000);
  const workerPort = Number(e.WORKER_PORT ?? 3001);
  const sandboxPort = Number(e.X_SANDBOX_PORT ?? 4010);
  const host = e.HOST ?? "127.0.0.1";
  const publicHost = ["0.0.0.0", "::"].includes(host) ? "127.0.0.1" : host;
  const useSandbox = !e.X_CLIENT_ID;
  const base: NodeJS.ProcessEnv = {
    ...e,
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    X_SANDBOX_PORT: String(sandboxPort),
    NEXTAUTH_SECRET: e.NEXTAUTH_SECRET ?? DEV_NEXTAUTH_SECRET,
    TOKEN_ENCRYPTION_KEY: e.TOKEN_ENCRYPTION_KEY ?? DEV_TOKEN_KEY,
    FORCE_COLOR: "1",
  };

  migrate(log, base);

  if (opt.build) {
    log("building the pages (next build)…");
    const r = spawnSync(path.join(ROOT, "node_modules/.bin/next"), ["build"], {
      cwd: ROOT,
      env: { ...base, NODE_ENV: "production" },
      stdio: "inherit",
    });
    if (r.status !== 0) throw new SetupError("next build failed");
  } else if (!existsSync(path.join(ROOT, ".next/BUILD_ID"))) {
    throw new SetupError(
      "No production build of the pages (.next/BUILD_ID): run `npm run build` first, or `npm run dev:cluster -- --build`.",
    );
  }

  const webs = [
    { name: "web-a", port },
    { name: "web-b", port: port + 2 },
  ].map((w) => ({ ...w, url: `http://${publicHost}:${w.port}` }));
  const sup = supervise(
    [
      ...(useSandbox
        ? [
            {
              name: "x-sandbox",
              ...tsxNode("sandbox/main.ts"),
              env: { ...base, NODE_ENV: "development" as const },
              color: 35,
              restartNote: SANDBOX_RESTART_NOTE,
            },
          ]
        : []),
      ...[0, 1].map((i) => ({
        name: `worker-${"ab"[i]}`,
        ...tsxNode("worker/main.ts"),
        env: { ...base, NODE_ENV: "development" as const, WORKER_PORT: String(workerPort + 2 * i) },
        color: 33,
        watch: DEV_WATCH,
      })),
      ...webs.map((w) => ({
        name: w.name,
        ...tsxNode("src/server/main.ts"),
        // Production mode over http on this machine; with the sandbox, the explicit opt-in that
        // also accepts the development secrets (src/lib/production-config.ts).
        env: {
          ...base,
          NODE_ENV: "production" as const,
          PORT: String(w.port),
          NEXTAUTH_URL: w.url,
          ALLOW_INSECURE_HTTP: e.ALLOW_INSECURE_HTTP ?? "true",
          ...(useSandbox && { ALLOW_X_SANDBOX: "true" }),
        },
        color: 32,
      })),
    ],
    apps,
    log,
  );

  void Promise.all(webs.map((w) => waitForWeb(w.url))).then((ok) => {
    if (!ok.every(Boolean)) return;
    console.log(
      [
        "",
        `  \x1b[1mX Bookmarker cluster: web A ${webs[0]!.url}   web B ${webs[1]!.url}\x1b[0m`,
        `  Workers: health on http://127.0.0.1:${workerPort}/health and :${workerPort + 2}/health; one Redis, one Postgres.`,
        "  Log in on either URL: the session cookie is per host name, not per port, so it works on both.",
        useSandbox ? `  X sandbox: http://127.0.0.1:${sandboxPort}` : "",
        "  A process that crashes is restarted; the others keep running. Ctrl-C stops everything.",
        "",
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
  });

  await sup.done;
}

runDev(main, started, apps);
