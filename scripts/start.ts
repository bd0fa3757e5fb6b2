/**
 * `npm start`: production on one machine without a container platform. Applies pending
 * migrations, then runs the web (dist/web.mjs) and the worker (dist/worker.mjs) from
 * `npm run build` under the supervisor: a process that crashes is restarted with backoff while
 * the other keeps running. SIGTERM / Ctrl-C stops both within a bounded time (SIGKILL after
 * 15 s), then exits 0; exits 1 when both have crashed too often to be restarted.
 *
 * Platforms that supervise processes themselves (Docker, systemd, Kubernetes) run
 * `npm run start:web` and `npm run start:worker` instead.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { prisma, ROOT, SetupError } from "./services";
import { Supervisor, SUPERVISOR_STOP_TIMEOUT_MS } from "./supervisor";

const log = (m: string) => console.log(`[start] ${m}`);

function main(): Supervisor {
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const missing = ["dist/web.mjs", "dist/worker.mjs", ".next/BUILD_ID"].filter((f) => !existsSync(path.join(ROOT, f)));
  if (missing.length > 0) throw new SetupError(`No production build (${missing.join(", ")} missing): run \`npm run build\` first.`);
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
  log("applying database migrations…");
  prisma(["migrate", "deploy"], env);
  const node = (file: string) => ({ command: process.execPath, args: ["--enable-source-maps", file], env });
  const sup = new Supervisor(
    [
      { name: "web", ...node("dist/web.mjs") },
      { name: "worker", ...node("dist/worker.mjs") },
    ],
    { cwd: ROOT, log, stopTimeoutMs: SUPERVISOR_STOP_TIMEOUT_MS },
  );
  sup.start();
  return sup;
}

try {
  const sup = main();
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping web and worker`);
    void sup.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  void sup.done.then(() => {
    if (stopping) return;
    log("every process has been given up on; exiting");
    process.exit(1);
  });
} catch (err) {
  console.error(`\n${err instanceof SetupError ? err.message : String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
}
