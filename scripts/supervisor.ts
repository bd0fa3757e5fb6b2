/**
 * Runs the app's processes (web, worker, X sandbox) side by side and keeps them running: a
 * process that dies is started again after a backoff (restart-policy.ts) while the others go on;
 * after too many crashes in a row it is left down with a message saying so. Stopping sends
 * SIGTERM to each process group and SIGKILL to what is still there after `stopTimeoutMs`.
 *
 * Written here rather than taken from npm: `concurrently` (used before) stops the others when
 * one dies and has no crash window; pm2 is a daemon with its own state directory and CLI; nodemon
 * and `tsx watch` wait for a file change after a crash instead of restarting. What we need is
 * ~150 lines over node:child_process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { RestartPolicy, type RestartPolicyOptions } from "./restart-policy";

export interface ProcessSpec {
  name: string;
  /** The executable and its arguments (no shell). */
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  /** ANSI colour code of its log prefix (e.g. 33 yellow). */
  color?: number;
  /** Paths (relative to cwd) whose changes restart it gracefully: development only. */
  watch?: string[];
  /** Said when it is restarted after a crash (e.g. what a restart loses). */
  restartNote?: string;
}

export interface SupervisorOptions {
  cwd: string;
  log: (message: string) => void;
  policy?: RestartPolicyOptions;
  /** How long a process has to stop after SIGTERM before it gets SIGKILL (default 15 s). */
  stopTimeoutMs?: number;
}

/**
 * How long a process gets between SIGTERM and SIGKILL: the worker needs up to 10 s to checkpoint
 * its syncs (worker/main.ts), the web and the sandbox well under a second.
 */
export const SUPERVISOR_STOP_TIMEOUT_MS = 15_000;

type State = "starting" | "running" | "waiting" | "given-up" | "stopped";

interface Managed {
  spec: ProcessSpec;
  policy: RestartPolicy;
  state: State;
  child: ChildProcess | null;
  startedAt: number;
  timer: NodeJS.Timeout | null;
  watchers: FSWatcher[];
  exited: Promise<void>;
}

export class Supervisor {
  private readonly procs: Managed[];
  private stopping = false;
  private allDown!: () => void;
  /** Resolves once every process has stopped for good (given up, or `stop()`). */
  readonly done = new Promise<void>((resolve) => (this.allDown = resolve));

  constructor(
    specs: ProcessSpec[],
    private readonly opts: SupervisorOptions,
  ) {
    this.procs = specs.map((spec) => ({
      spec,
      policy: new RestartPolicy(opts.policy),
      state: "stopped",
      child: null,
      startedAt: 0,
      timer: null,
      watchers: [],
      exited: Promise.resolve(),
    }));
  }

  start(): void {
    for (const p of this.procs) {
      this.spawn(p);
      if (p.spec.watch) this.watchFiles(p);
    }
  }

  /** The running pid of each process by name (for status lines and tests). */
  pids(): Record<string, number | null> {
    return Object.fromEntries(this.procs.map((p) => [p.spec.name, p.child?.pid ?? null]));
  }

  /** SIGTERM to every process group; SIGKILL to those still running after the timeout. */
  async stop(): Promise<void> {
    if (this.stopping) return this.done;
    this.stopping = true;
    const timeoutMs = this.opts.stopTimeoutMs ?? SUPERVISOR_STOP_TIMEOUT_MS;
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.timer) clearTimeout(p.timer);
        for (const w of p.watchers) w.close();
        if (p.child) await this.terminate(p, timeoutMs);
        p.state = "stopped";
      }),
    );
    this.allDown();
  }

  private say(p: Managed, message: string) {
    this.opts.log(`${p.spec.name}: ${message}`);
  }

  private spawn(p: Managed) {
    const { spec } = p;
    // A process group of its own: a stop or kill reaches its helpers too, and Ctrl-C in the
    // terminal reaches only us (we stop the children in order).
    const child = spawn(spec.command, spec.args, {
      cwd: this.opts.cwd,
      env: spec.env ?? process.env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    p.child = child;
    p.state = "running";
    p.startedAt = Date.now();
    const prefix = `\x1b[${spec.color ?? 37}m[${spec.name}]\x1b[0m `;
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on("line", (line) => process.stdout.write(prefix + line + "\n"));
    }
    p.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => resolve(this.onExit(p, child, code, signal)));
      child.once("error", (err) => {
        this.say(p, `cannot start ${spec.command}: ${err.message}`);
        // A process that never started emits no "exit": count it as a crash here.
        if (child.pid === undefined) resolve(this.onExit(p, child, 1, null));
      });
    });
    this.say(p, `started (pid ${child.pid})`);
  }

  private onExit(p: Managed, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null) {
    if (p.child !== child) return;
    p.child = null;
    // Helpers it left in its group (a compiler, a worker thread's process) would hold its port.
    killGroup(child, "SIGKILL");
    if (this.stopping || p.state === "starting") return; // asked to stop, or a file-change restart
    const how = signal ? `was killed (${signal})` : `exited with code ${code}`;
    const now = Date.now();
    const decision = p.policy.onCrash(now, now - p.startedAt);
    const others = this.procs.filter((o) => o !== p && o.state === "running").map((o) => o.spec.name);
    const keep = others.length > 0 ? ` ${others.join(", ")} keep running.` : "";
    if (!decision.restart) {
      p.state = "given-up";
      const minutes = p.policy.windowMs / 60_000;
      this.say(
        p,
        `${how}: ${decision.crashesInWindow} crashes within ${minutes} min, giving up on it (not restarted).${keep} Fix the cause in the lines above, then start again.`,
      );
      if (this.procs.every((o) => o.state === "given-up" || o.state === "stopped")) this.allDown();
      return;
    }
    p.state = "waiting";
    const note = p.spec.restartNote ? ` ${p.spec.restartNote}` : "";
    this.say(
      p,
      `${how}; restarting in ${decision.delayMs / 1000} s (crash ${decision.crashesInWindow} of ${p.policy.maxCrashes} allowed per ${p.policy.windowMs / 1000} s).${keep}${note}`,
    );
    p.timer = setTimeout(() => {
      p.timer = null;
      if (!this.stopping) this.spawn(p);
    }, decision.delayMs);
  }

  /** SIGTERM to its group, SIGKILL after `timeoutMs`; resolves once it has exited. */
  private async terminate(p: Managed, timeoutMs: number) {
    const child = p.child;
    if (!child?.pid) return;
    const signalGroup = (sig: NodeJS.Signals) => killGroup(child, sig);
    signalGroup("SIGTERM");
    const kill = setTimeout(() => {
      this.say(p, `did not stop within ${timeoutMs / 1000} s of SIGTERM; sending SIGKILL`);
      signalGroup("SIGKILL");
    }, timeoutMs);
    await p.exited;
    clearTimeout(kill);
  }

  /** Development: a graceful restart when a watched file changes (debounced). */
  private watchFiles(p: Managed) {
    let debounce: NodeJS.Timeout | null = null;
    const restart = async () => {
      if (this.stopping || p.state !== "running") return;
      this.say(p, "files changed; restarting");
      p.state = "starting";
      await this.terminate(p, this.opts.stopTimeoutMs ?? SUPERVISOR_STOP_TIMEOUT_MS);
      if (!this.stopping) this.spawn(p);
    };
    for (const rel of p.spec.watch ?? []) {
      const w = watch(path.join(this.opts.cwd, rel), { recursive: true }, () => {
        if (debounce) clearTimeout(debounce);
        debounce = setTimeout(() => void restart(), 300);
      });
      p.watchers.push(w);
    }
  }
}

/** A signal to a child's whole process group (it is the group's leader: spawned detached). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (!child.pid) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group is gone already
  }
}
