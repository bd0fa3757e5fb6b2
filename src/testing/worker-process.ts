/**
 * The real worker process (worker/main.ts) as a child of a test, against a harness's sandbox,
 * database, Redis and BullMQ prefix, with its health port on a free port.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import type { Harness } from "./harness";
import { until } from "./until";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 20 kB it printed, for failure messages. */
  output(): string;
  /** SIGKILL to its process group (the worker and esbuild's service); resolves once it is gone. */
  kill(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once("error", reject).listen(0, "127.0.0.1", resolve));
  const addr = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  if (!addr || typeof addr === "string") throw new Error("no port");
  return addr.port;
}

/** Starts the worker; resolves once its /health answers 200. */
export async function startWorkerProcess(h: Harness, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const port = await freePort();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && !k.startsWith("X_") && k !== "NODE_OPTIONS"),
  );
  const child = spawn(process.execPath, ["--import", "tsx", "worker/main.ts"], {
    cwd: ROOT,
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
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const w: WorkerProcess = {
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    exited,
    output: () => out,
    async kill() {
      if (gone) return;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
      await exited;
    },
  };
  try {
    await until(
      "the worker to be ready",
      async () => {
        if (gone) throw new Error(`the worker exited during start-up:\n${out}`);
        const res = await fetch(`${w.url}/health`).catch(() => null);
        return res?.status === 200;
      },
      60_000,
      w.output,
    );
  } catch (e) {
    await w.kill();
    throw e;
  }
  return w;
}
