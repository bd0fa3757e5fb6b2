/**
 * The supervisor with real child processes (tiny `node -e` scripts): restarts after a crash while
 * the others keep running, gives up on a crash loop, stops within a bounded time.
 */
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Supervisor, type ProcessSpec } from "./supervisor";

const node = (name: string, code: string): ProcessSpec => ({ name, command: process.execPath, args: ["-e", code] });
/** Runs until stopped, printing its pid once. */
const longRunning = (name: string) => node(name, "console.log('up', process.pid); setInterval(() => {}, 1000);");

let sup: Supervisor | null = null;
const lines: string[] = [];
function supervise(
  specs: ProcessSpec[],
  opts: { stopTimeoutMs?: number; policy?: ConstructorParameters<typeof Supervisor>[1]["policy"] } = {},
) {
  sup = new Supervisor(specs, {
    cwd: process.cwd(),
    log: (m) => lines.push(m),
    policy: { initialDelayMs: 50, ...opts.policy },
    stopTimeoutMs: opts.stopTimeoutMs,
  });
  sup.start();
  return sup;
}
async function until(what: string, check: () => boolean, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; log:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

afterEach(async () => {
  await sup?.stop();
  sup = null;
  lines.length = 0;
});

describe("Supervisor", () => {
  it("restarts a process killed with SIGKILL; the others keep their pids", async () => {
    const s = supervise([longRunning("a"), longRunning("b")]);
    await until("both started", () => s.pids().a !== null && s.pids().b !== null);
    const before = s.pids();
    process.kill(before.a!, "SIGKILL");
    await until("a back", () => s.pids().a !== null && s.pids().a !== before.a);
    expect(s.pids().b).toBe(before.b);
    expect(alive(before.b!)).toBe(true);
    expect(lines).toContain("a: was killed (SIGKILL); restarting in 0.05 s (crash 1 of 5 allowed per 60 s). b keep running.");
  });

  it("gives up on a process that crashes 5 times within a minute, says so, and keeps the others", async () => {
    const s = supervise([node("crasher", "process.exit(3)"), longRunning("steady")], { policy: { initialDelayMs: 10, maxDelayMs: 20 } });
    await until("give-up message", () => lines.some((l) => l.includes("giving up")));
    const giveUp = lines.find((l) => l.includes("giving up"))!;
    expect(giveUp).toBe(
      "crasher: exited with code 3: 5 crashes within 1 min, giving up on it (not restarted). steady keep running. Fix the cause in the lines above, then start again.",
    );
    expect(lines.filter((l) => l.startsWith("crasher: started"))).toHaveLength(5);
    expect(s.pids().crasher).toBeNull();
    expect(alive(s.pids().steady!)).toBe(true);
  });

  it("resolves done when every process has given up", async () => {
    const s = supervise([node("x", "process.exit(1)")], { policy: { initialDelayMs: 1, maxDelayMs: 1, maxCrashes: 2 } });
    await s.done;
    expect(lines.at(-1)).toMatch(/^x: exited with code 1: 2 crashes within 1 min, giving up/);
  });

  it("watch: a changed file restarts the process gracefully (SIGTERM), not counted as a crash", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "xb-sup-watch-"));
    sup = new Supervisor([{ ...longRunning("w"), watch: ["."] }], { cwd: dir, log: (m) => lines.push(m), policy: { initialDelayMs: 50 } });
    sup.start();
    const s = sup;
    await until("started", () => s.pids().w !== null);
    const first = s.pids().w!;
    writeFileSync(path.join(dir, "changed.ts"), "export {};");
    await until("restarted", () => s.pids().w !== null && s.pids().w !== first);
    expect(alive(first)).toBe(false);
    expect(lines).toContain("w: files changed; restarting");
    expect(lines.filter((l) => l.includes("crash"))).toEqual([]);
  });

  it("stop: SIGTERM first; a process that ignores it gets SIGKILL after the timeout", async () => {
    // It says when its SIGTERM handler is installed (node can take a while to start on a busy machine).
    const ready = path.join(mkdtempSync(path.join(tmpdir(), "xb-sup-")), "ready");
    const stubborn = node(
      "stubborn",
      `process.on('SIGTERM', () => console.log('ignoring')); require('fs').writeFileSync(${JSON.stringify(ready)}, ''); setInterval(() => {}, 1000);`,
    );
    const s = supervise([stubborn, longRunning("polite")], { stopTimeoutMs: 500 });
    await until("both started", () => s.pids().stubborn !== null && s.pids().polite !== null);
    await until("the SIGTERM handler installed", () => existsSync(ready));
    const pids = s.pids();
    const t0 = Date.now();
    await s.stop();
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(3_000);
    expect(alive(pids.stubborn!)).toBe(false);
    expect(alive(pids.polite!)).toBe(false);
    expect(lines).toContain("stubborn: did not stop within 0.5 s of SIGTERM; sending SIGKILL");
    expect(lines.filter((l) => l.includes("restarting"))).toEqual([]);
  });
});
