/** Processes a benchmark starts (node directly, so their pids are the ones measured) and reads. */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../scripts/services";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Every process this bench starts, so that each is stopped on the way out. */
export const children = new Set<ChildProcess>();

/** Starts `node <args>` directly (no npm/tsx wrapper), so its pid is the one whose memory we read. */
export function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let output = "";
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-20_000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  child.on("exit", (code) => {
    children.delete(child);
    if (code && code !== 0) console.error(`[${name}] exited ${code}\n${output.slice(-2000)}`);
  });
  return Object.assign(child, { output: () => output });
}

/** SIGTERM (the worker finishes its page in hand; it exits by itself within 10 s), then SIGKILL. */
export async function stopProcess(child: ChildProcess, graceMs = 12_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  if (await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)])) return;
  child.kill("SIGKILL");
  await Promise.race([exited, sleep(2_000)]);
}

export async function waitHttp(url: string, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // starting
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not come up`);
}

/**
 * The production web server as `npm run start:web` runs it (migrations already applied), on
 * `port`; its worker and sandbox ports are the next two. Resolves once it serves the log-in page.
 */
export async function startBenchWeb(env: NodeJS.ProcessEnv, port: number): Promise<{ url: string; web: ChildProcess }> {
  const url = `http://127.0.0.1:${port}`;
  const web = startProcess("web", ["--enable-source-maps", path.join(ROOT, "dist/web.mjs")], {
    ...env,
    PORT: String(port),
    HOST: "127.0.0.1",
    NEXTAUTH_URL: url,
    WORKER_PORT: String(port + 1),
    X_SANDBOX_PORT: String(port + 2),
  });
  for (let i = 0; ; i++) {
    if (web.exitCode !== null) throw new Error(`the web server exited (${web.exitCode}); did \`npm run build\` run?`);
    if (
      await fetch(`${url}/login`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (i > 600) throw new Error("the web server did not start within 60 s");
    await sleep(100);
  }
  return { url, web };
}

/** Rejects after `ms` with `what` (the bench must end by itself). */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s)
}

/** Peak resident set size of a process (Linux VmHWM), in MB. */
export function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * Runs a bench's main and exits with its code; bounded whatever happens (a hard stop after
 * `hardStopMs`), and interrupts stop what the bench started.
 */
export function runBench(main: () => Promise<number>, hardStopMs: number): void {
  const hardStop = setTimeout(() => {
    console.error(`[bench] FAIL: still running after ${hardStopMs / 1000} s; stopping`);
    for (const c of children) c.kill("SIGKILL");
    process.exit(1);
  }, hardStopMs);
  hardStop.unref();
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      for (const c of children) c.kill("SIGTERM");
      process.exit(130);
    });
  }
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e);
      process.exit(1);
    },
  );
}
