/**
 * One of our processes (the worker, the web server) as a child of a test: started in a process
 * group of its own so a kill takes its helpers too, its output kept for failure messages, and
 * "started" meaning its health URL answers 200.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { until } from "./until";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface NodeProcess {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last 20 kB it printed, for failure messages. */
  output(): string;
  /** SIGKILL to its process group; resolves once it is gone. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve, reject) => srv.once("error", reject).listen(0, "127.0.0.1", resolve));
  const addr = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  if (!addr || typeof addr === "string") throw new Error("no port");
  return addr.port;
}

/** Runs `node <args>` from the repository root; resolves once `healthUrl` answers 200. */
export async function startNodeProcess(opts: {
  name: string;
  args: string[];
  env: Record<string, string | undefined>;
  healthUrl: string;
  timeoutMs?: number;
}): Promise<NodeProcess> {
  const child = spawn(process.execPath, opts.args, {
    cwd: ROOT,
    env: opts.env as NodeJS.ProcessEnv,
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
  const p: NodeProcess = {
    child,
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
      `${opts.name} to be ready`,
      async () => {
        if (gone) throw new Error(`${opts.name} exited during start-up:\n${out}`);
        const res = await fetch(opts.healthUrl).catch(() => null);
        return res?.status === 200;
      },
      opts.timeoutMs ?? 60_000,
      p.output,
    );
  } catch (e) {
    await p.kill();
    throw e;
  }
  return p;
}
