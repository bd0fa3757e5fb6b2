/**
 * A supervisor script (`npm start`'s scripts/start.ts, `npm run dev`'s scripts/dev.ts) as a child
 * of a test: its output kept, the pid of each process it runs read from its "started (pid N)"
 * lines, and a watcher that records every failed health probe of each process.
 */
import { spawn } from "node:child_process";
import { ROOT } from "./node-process";
import { until } from "./until";

export interface Supervised {
  /** The current pid of each supervised process, by name (from the log). */
  pids(): Record<string, number>;
  output(): string;
  /** Waits until `name` runs under a pid other than `old`, and answers its health URL. */
  restarted(name: string, old: number, timeoutMs?: number): Promise<number>;
  /** Failed probes of each health URL since the last `resetFailures()`. */
  failures(): Record<string, number>;
  resetFailures(): void;
  /** SIGTERM to the supervisor; resolves with its exit once it has stopped everything. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Environment for our processes as children: the test's, without Vitest's and X's settings. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("VITEST") && !k.startsWith("X_") && k !== "NODE_OPTIONS" && k !== "NODE_ENV"),
  );
  return { ...inherited, ...extra } as NodeJS.ProcessEnv;
}

export async function startSupervised(opts: {
  script: string;
  env: NodeJS.ProcessEnv;
  /** Health URL of each supervised process by name: all answer 200 before this resolves. */
  health: Record<string, string>;
  timeoutMs?: number;
}): Promise<Supervised> {
  const child = spawn(process.execPath, ["--import", "tsx", opts.script], {
    cwd: ROOT,
    env: opts.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let out = "";
  const pids: Record<string, number> = {};
  let partial = "";
  const keep = (chunk: Buffer) => {
    const text = chunk.toString();
    out = (out + text).slice(-60_000);
    const lines = (partial + text).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      // Lines of `npm run dev` are coloured: compare without the colour codes.
      const m = /\] (\S+): started \(pid (\d+)\)/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) pids[m[1]!] = Number(m[2]);
    }
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));

  const ok = async (url: string) => (await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => null))?.status === 200;
  const failures: Record<string, number> = {};
  const resetFailures = () => Object.keys(opts.health).forEach((n) => (failures[n] = 0));
  resetFailures();
  let watching = true;
  const watch = (async () => {
    while (watching) {
      await Promise.all(
        Object.entries(opts.health).map(async ([name, url]) => {
          if (!(await ok(url))) failures[name]! += 1;
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const stop = async () => {
    watching = false;
    await watch;
    const t0 = Date.now();
    if (!gone) process.kill(child.pid!, "SIGTERM");
    const timer = setTimeout(() => {
      // A supervisor that does not stop: take everything down so the test run can go on.
      for (const pid of [child.pid!, ...Object.values(pids)]) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {
          // gone
        }
      }
    }, 30_000);
    const exit = await exited;
    clearTimeout(timer);
    return { ...exit, ms: Date.now() - t0 };
  };

  const s: Supervised = {
    pids: () => ({ ...pids }),
    output: () => out,
    failures: () => ({ ...failures }),
    resetFailures,
    stop,
    async restarted(name, old, timeoutMs = 60_000) {
      return until(
        `${name} to come back after pid ${old}`,
        async () => pids[name] !== undefined && pids[name] !== old && (await ok(opts.health[name]!)) && pids[name],
        timeoutMs,
        () => out,
      );
    },
  };
  try {
    await until(
      "every supervised process to answer its health URL",
      async () => {
        if (gone) throw new Error(`${opts.script} exited during start-up:\n${out}`);
        for (const url of Object.values(opts.health)) if (!(await ok(url))) return false;
        return true;
      },
      opts.timeoutMs ?? 180_000,
      () => out,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  // Failed probes during start-up are not failures of a running process.
  resetFailures();
  return s;
}
