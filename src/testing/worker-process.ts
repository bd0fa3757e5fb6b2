/**
 * The real worker process (worker/main.ts) as a child of a test, against a harness's sandbox,
 * database, Redis and BullMQ prefix, with its health port on a free port.
 */
import type { Harness } from "./harness";
import { freePort, startNodeProcess, type NodeProcess } from "./node-process";

export interface WorkerProcess extends NodeProcess {
  port: number;
  url: string;
}

/** Starts the worker; resolves once its /health answers 200. */
export async function startWorkerProcess(h: Harness, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && !k.startsWith("X_") && k !== "NODE_OPTIONS"),
  );
  const p = await startNodeProcess({
    name: "the worker",
    args: ["--import", "tsx", "worker/main.ts"],
    env: {
      ...inherited,
      NODE_ENV: "test",
      BULLMQ_PREFIX: h.prefix,
      X_API_URL: h.sandbox.url,
      X_PAGE_SIZE: String(h.x.pageSize),
      WORKER_PORT: String(port),
      LOG_LEVEL: "info",
      ...extraEnv,
    },
    healthUrl: `http://127.0.0.1:${port}/health`,
  });
  return Object.assign(p, { port, url: `http://127.0.0.1:${port}` });
}
