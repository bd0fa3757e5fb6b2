/**
 * Self-healing under the real supervisor scripts: `npm start` (production build, dist/) and
 * `npm run dev`. Each supervised process is killed with SIGKILL in turn: it comes back, the
 * others keep their pid and never fail a health probe, and a sync in flight when the worker dies
 * completes exactly once (resumed from its checkpoint). Real Postgres, Redis, BullMQ and X sandbox.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { tokenKeyFromEnv } from "~/server/x/tokens";
import { startHarness, type Harness } from "~/testing/harness";
import { linkSandboxAccount, type TestUser } from "~/testing/link-account";
import { freePort, ROOT } from "~/testing/node-process";
import { sandboxControl, type SandboxControl } from "~/testing/sandbox-control";
import { childEnv, startSupervised, type Supervised } from "~/testing/supervised";
import { bookmarkReads, expectResumedToCompletion } from "~/testing/sync-resume";
import { until } from "~/testing/until";

const PAGE_SIZE = 90;
const BOOKMARKS = 800;
const PAGES = Math.ceil(BOOKMARKS / PAGE_SIZE);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ worker: false, pageSize: PAGE_SIZE });
});
afterAll(async () => {
  await h?.control("PUT", "/faults", {}).catch(() => undefined);
  await h?.close();
});

/** Ports and settings every supervised process gets: the harness's database, Redis and queues. */
async function baseEnv() {
  const ports = { web: await freePort(), worker: await freePort(), sandbox: await freePort() };
  const env = childEnv({
    BULLMQ_PREFIX: h.prefix,
    PORT: String(ports.web),
    WORKER_PORT: String(ports.worker),
    X_SANDBOX_PORT: String(ports.sandbox),
    X_PAGE_SIZE: String(PAGE_SIZE),
    HOST: "127.0.0.1",
    // `npm start` runs the production build: against the sandbox on loopback only when asked.
    NEXTAUTH_URL: `http://127.0.0.1:${ports.web}`,
    ALLOW_INSECURE_HTTP: "true",
    ALLOW_X_SANDBOX: "true",
    // A killed worker's job moves on to the restarted one within seconds (not so short that a
    // busy machine's pause in lock renewal looks like a crash).
    SYNC_LOCK_MS: "5000",
    LOG_LEVEL: "warn",
  });
  const health = { web: `http://127.0.0.1:${ports.web}/api/health`, worker: `http://127.0.0.1:${ports.worker}/health` };
  return { ports, env, health };
}

/**
 * SIGKILL to the worker while a full sync is mid-way: the worker comes back, the sync resumes
 * from its checkpoint and completes exactly once; the other processes are untouched.
 */
async function killWorkerMidSync(sup: Supervised, user: TestUser, control: SandboxControl) {
  await control("PUT", "/faults", { latencyMs: 150 });
  const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
  const getRun = () => h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
  await until("two pages saved", async () => (await getRun()).pages >= 2, 60_000, sup.output);

  const before = sup.pids();
  process.kill(before.worker!, "SIGKILL");
  const atKill = await until(
    "the worker gone",
    async () => (sup.pids().worker !== before.worker || !alive(before.worker!)) && getRun(),
    10_000,
  );
  const callsAtKill = await bookmarkReads(control, user.xId);
  expect(atKill.status).toBe("RUNNING");
  expect(atKill.pages).toBeLessThan(PAGES);

  await sup.restarted("worker", before.worker!);
  await control("PUT", "/faults", {});
  await expectResumedToCompletion(h, {
    runId,
    user,
    checkpoint: atKill,
    callsBefore: callsAtKill,
    bookmarks: BOOKMARKS,
    pages: PAGES,
    control,
  });
  expectOthersUntouched(sup, before, "worker");
  expect(sup.output()).toMatch(/worker: was killed \(SIGKILL\); restarting in 1 s \(crash 1 of 5 allowed per 60 s\)/);
}

/** SIGKILL to `name` (no sync running): it comes back, the others are untouched. */
async function killAndExpectBack(sup: Supervised, name: string) {
  const before = sup.pids();
  process.kill(before[name]!, "SIGKILL");
  await sup.restarted(name, before[name]!);
  expectOthersUntouched(sup, before, name);
  expect(sup.output()).toContain(`${name}: was killed (SIGKILL); restarting in 1 s`);
}

function expectOthersUntouched(sup: Supervised, before: Record<string, number>, killed: string) {
  const now = sup.pids();
  for (const name of Object.keys(before).filter((n) => n !== killed)) {
    expect(now[name], `${name} kept its pid`).toBe(before[name]);
    expect(alive(before[name]!), `${name} still running`).toBe(true);
  }
  const failures = sup.failures();
  for (const name of Object.keys(failures).filter((n) => n !== killed)) expect(failures[name], `${name}'s failed health probes`).toBe(0);
  sup.resetFailures();
}

function alive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function expectStopsCleanly(sup: Supervised) {
  const pids = Object.values(sup.pids());
  const exit = await sup.stop();
  expect(exit.code, sup.output()).toBe(0);
  expect(exit.ms).toBeLessThan(16_000);
  for (const pid of pids) expect(alive(pid)).toBe(false);
}

describe("npm start (production build) under the supervisor", () => {
  let sup: Supervised | null = null;
  beforeAll(() => {
    // The pages' build is slow: reuse one from `npm run build`; the servers' bundles are quick
    // (esbuild), so they are always rebuilt from the current source.
    const steps = existsSync(path.join(ROOT, ".next/BUILD_ID")) ? [["tsx", "scripts/build-node.ts"]] : [["npm", "run", "build"]];
    for (const [cmd, ...args] of steps) {
      const r = spawnSync(cmd === "tsx" ? path.join(ROOT, "node_modules/.bin/tsx") : cmd!, args, {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: "production" },
        encoding: "utf8",
      });
      if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}${r.stderr}`);
    }
  }, 600_000);
  afterAll(async () => {
    await sup?.stop();
  });

  it("kill -9 the worker mid-sync, then the web: each comes back, the other never stops, the sync completes once", async () => {
    const { env, health } = await baseEnv();
    onTestFailed(() => console.log(`npm start's output:\n${sup?.output().slice(-10_000)}`));
    sup = await startSupervised({ script: "scripts/start.ts", env: { ...env, X_API_URL: h.sandbox.url }, health });
    const user = await h.createUser(BOOKMARKS);
    await killWorkerMidSync(sup, user, h.control);
    await killAndExpectBack(sup, "web");
    expect(sup.output()).toContain("[start] applying database migrations");
    await expectStopsCleanly(sup);
    sup = null;
  }, 240_000);
});

describe("npm run dev under the supervisor", () => {
  let sup: Supervised | null = null;
  afterAll(async () => {
    await sup?.stop();
  });

  it("kill -9 the worker mid-sync, the web and the X sandbox in turn: each comes back, the others never stop", async () => {
    const { ports, env, health } = await baseEnv();
    const sandboxUrl = `http://127.0.0.1:${ports.sandbox}`;
    onTestFailed(() => console.log(`npm run dev's output:\n${sup?.output().slice(-10_000)}`));
    sup = await startSupervised({
      script: "scripts/dev.ts",
      env,
      health: { ...health, "x-sandbox": `${sandboxUrl}/_sandbox/health` },
      timeoutMs: 240_000,
    });
    // The dev sandbox is the X the worker talks to: the user's account lives there.
    const control = sandboxControl(sandboxUrl);
    const xUser = await control<{ id: string; username: string }>("POST", "/users", {
      username: `sup${Date.now() % 1e9}`,
      bookmarks: BOOKMARKS,
    });
    const user = await linkSandboxAccount({ db: h.db, key: tokenKeyFromEnv(), control }, xUser);

    await killWorkerMidSync(sup, user, control);
    await killAndExpectBack(sup, "web");
    await killAndExpectBack(sup, "x-sandbox");
    // Said in the log: a restarted sandbox has lost the accounts made since it started.
    expect(sup.output()).toContain("The X sandbox keeps its accounts in memory");
    await expect(control("GET", `/users/${xUser.id}/bookmarks`)).rejects.toThrow(/404/);
    await expectStopsCleanly(sup);
    sup = null;
  }, 420_000);
});
