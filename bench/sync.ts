/**
 * `npm run bench:sync`: the sync engine end to end through the real path — startSync, BullMQ,
 * the production worker process (dist/worker.mjs, plain node), the X API over HTTP (the X
 * sandbox), batched upserts into Postgres — in two scenarios, each with its own worker process:
 *
 * 1. single: one user's 10,000 bookmarks (no latency, the sandbox's 800 cap lifted,
 *    SYNC_CONCURRENCY 1) against a raw COPY of the same rows in the same run. Prints
 *    bookmarks/s end to end, the worker's peak RSS and CPU, and the baseline: the same rows
 *    COPYed in one transaction into empty tables of the same columns, indexes and foreign keys.
 *    Targets (issue #2): >= 3,000 bookmarks/s, >= 0.3x COPY, RSS < 256 MB.
 * 2. multi (issue #3): 50 users × 800 bookmarks, the sandbox answering every X API request
 *    after 50 ms and limiting each user to 180 requests per 15-minute window; all 50 full syncs
 *    started at once (startSync, as the sync button does), run by a fresh worker with its
 *    default SYNC_CONCURRENCY (3) unless --concurrency is given. Prints the wall time from the
 *    first enqueue to the last run finished, jobs/s, bookmarks/s, p50/p95 job duration (the
 *    run's startedAt→finishedAt, and queuedAt→finishedAt), the worker's peak RSS and CPU, X API
 *    calls (SyncRun.apiCalls, and as the sandbox counted them), 429s and rate-limit waits. Then
 *    checks that every run SUCCEEDED and every user's library holds --per-user bookmarks:
 *    otherwise it prints FAIL lines and exits 1.
 *
 *   npm run bench:sync [-- --bookmarks 10000 --page-size 100]
 *                      [-- --users 50 --per-user 800 --latency 50 --concurrency N --timeout 300]
 *                      [-- --only single|multi]
 *   (or: npx tsx scripts/build-node.ts && npx tsx bench/sync.ts --only multi)
 *
 * Writes bench/results/sync.json: scenario 1's figures at the top level, scenario 2's under
 * "multiUser"; a run of one scenario (--only) keeps the other's figures from the last run.
 * Bounded: each wait has a time limit (--timeout seconds for a scenario's syncs; the whole
 * bench is stopped after 2 × timeout + 10 min), and every process it starts is stopped on the
 * way out (SIGTERM, then SIGKILL).
 */
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { benchServices, intOption } from "./bench-env";
import { children, cpuSeconds, peakRssMb, runBench, startProcess, stopProcess, waitHttp, within } from "./bench-process";
import { dropDatabase, prisma, ROOT } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    bookmarks: { type: "string", default: "10000" },
    "page-size": { type: "string", default: "100" },
    users: { type: "string", default: "50" },
    "per-user": { type: "string", default: "800" },
    latency: { type: "string", default: "50" },
    concurrency: { type: "string" },
    timeout: { type: "string", default: "300" },
    only: { type: "string" },
  },
});

if (opt.only !== undefined && opt.only !== "single" && opt.only !== "multi") {
  console.error(`bench: --only must be "single" or "multi" (got "${opt.only}")`);
  process.exit(2);
}
const BOOKMARKS = Number(opt.bookmarks);
const PAGE_SIZE = Number(opt["page-size"]);
const USERS = intOption("users", opt.users, 1, 10_000);
// X serves a user's 800 most recent bookmarks, and a full sync stops there.
const PER_USER = intOption("per-user", opt["per-user"], 1, 800);
const LATENCY_MS = intOption("latency", opt.latency, 0, 600_000);
const CONCURRENCY = opt.concurrency === undefined ? undefined : intOption("concurrency", opt.concurrency, 1, 100);
const TIMEOUT_MS = intOption("timeout", opt.timeout, 1) * 1000;
const RUN_SINGLE = opt.only !== "multi";
const RUN_MULTI = opt.only !== "single";
/** Issue #3: X's per-user limit on the bookmarks endpoint. */
const RATE_LIMIT = { limit: 180, windowSeconds: 900 };
const SANDBOX_PORT = 4210;
const WORKER_PORT = 3211;
const MULTI_WORKER_PORT = 3212;
const RESULTS = path.join(ROOT, "bench/results/sync.json");
const log = (m: string) => console.log(`[bench] ${m}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Nearest-rank percentile of numbers (sorted here). */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Largest of numbers (NaN when there are none). */
function maxOf(values: number[]): number {
  return values.length ? Math.max(...values) : NaN;
}

/** Merges one scenario's figures into bench/results/sync.json, keeping the other's. */
function writeResults(scenario: "single" | "multi", figures: Record<string, unknown>) {
  let previous: Record<string, unknown> = {};
  try {
    if (existsSync(RESULTS)) previous = JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>;
  } catch {
    // unreadable: start over
  }
  const next =
    scenario === "single"
      ? { ...figures, ...(previous.multiUser !== undefined && { multiUser: previous.multiUser }) }
      : { ...previous, multiUser: figures };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(next, null, 2));
}

type App = Awaited<ReturnType<typeof loadApp>>;

/** The app's own modules, loaded after the environment is in place. */
async function loadApp(sandboxUrl: string) {
  const { closeDb, db } = await import("~/server/db");
  const { webServices } = await import("~/server/services");
  const { startSync } = await import("~/server/sync/start");
  const { channels } = await import("~/server/sync/events");
  const { tokenKeyFromEnv } = await import("~/server/x/tokens");
  const { sandboxControl } = await import("~/testing/sandbox-control");
  const { linkSandboxAccount } = await import("~/testing/link-account");
  return {
    closeDb,
    db,
    services: webServices(),
    startSync,
    channels,
    key: tokenKeyFromEnv(),
    control: sandboxControl(sandboxUrl),
    linkSandboxAccount,
  };
}

interface Context {
  env: NodeJS.ProcessEnv;
  dbUrl: string;
  sandbox: ChildProcess;
  app: App;
}

/** Scenario 1: one user's --bookmarks bookmarks, no faults, against a raw COPY baseline. */
async function singleUser({ env, dbUrl, sandbox, app }: Context) {
  const { db, services, startSync, channels, control } = app;
  // The production build of the worker (npm run bench:sync builds it first).
  const worker = startProcess("worker", ["dist/worker.mjs"], { ...env, NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? "" });
  try {
    await waitHttp(`http://127.0.0.1:${WORKER_PORT}/health`);

    log(`creating a sandbox account with ${BOOKMARKS} bookmarks…`);
    const xUser = await control<{ id: string; username: string }>("POST", "/users", {
      username: `bench_${Date.now()}`,
      bookmarks: BOOKMARKS,
    });
    const user = await app.linkSandboxAccount({ db, key: app.key, control }, xUser);

    const rssBefore = peakRssMb(worker.pid!);
    const cpuBefore = { worker: cpuSeconds(worker.pid!), sandbox: cpuSeconds(sandbox.pid!) };
    // Wait on the progress channel the UI uses (no polling competing for this machine's CPU).
    const sub = new Redis(env.REDIS_URL!);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    sub.on("message", (_channel: string, message: string) => {
      const phase = (JSON.parse(message) as { phase: string }).phase;
      if (phase === "done" || phase === "failed") finished();
    });
    await sub.subscribe(channels.syncProgress(user.id));
    const started = performance.now();
    const { run } = await startSync(services, user.id, "full");
    try {
      await within(done, TIMEOUT_MS, "single-user sync");
    } finally {
      sub.disconnect();
    }
    const seconds = (performance.now() - started) / 1000;
    const final = await db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    if (final.status !== "SUCCEEDED") throw new Error(`sync failed: ${final.error}`);
    const workerPeak = peakRssMb(worker.pid!);
    const cpu = {
      worker: Number((cpuSeconds(worker.pid!) - cpuBefore.worker).toFixed(2)),
      sandbox: Number((cpuSeconds(sandbox.pid!) - cpuBefore.sandbox).toFixed(2)),
    };
    const saved = await db.bookmark.count({ where: { userId: user.id } });
    const rate = saved / seconds;

    // Baseline: the same rows, COPYed into empty tables of the same columns, indexes and keys.
    // Rows are read out first (COPY TO), so only the COPY FROM is timed.
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    // Generated columns (the library's search columns) cannot be copied in: Postgres computes
    // them, in the baseline as in the sync, so both pay for them.
    const columnsOf = async (tbl: string) => {
      const r = await client.query<{ c: string }>(
        `SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) AS c
         FROM information_schema.columns WHERE table_name = $1 AND is_generated = 'NEVER'`,
        [tbl],
      );
      return r.rows[0]!.c;
    };
    const cols = { XAuthor: await columnsOf("XAuthor"), Post: await columnsOf("Post"), Bookmark: await columnsOf("Bookmark") };
    const tables = [
      ["XAuthor", `SELECT ${cols.XAuthor} FROM "XAuthor"`],
      ["Post", `SELECT ${cols.Post} FROM "Post"`],
      ["Bookmark", `SELECT ${cols.Bookmark} FROM "Bookmark" WHERE "userId" = '${user.id}'`],
    ] as const;
    const dumps = new Map<string, Buffer>();
    for (const [tbl, query] of tables) {
      const chunks: Buffer[] = [];
      await pipeline(client.query(copyTo(`COPY (${query}) TO STDOUT`)), async function* (src: AsyncIterable<Buffer>) {
        for await (const c of src) chunks.push(c);
      });
      dumps.set(tbl, Buffer.concat(chunks));
      await client.query(`DROP TABLE IF EXISTS "copy_${tbl}" CASCADE; CREATE TABLE "copy_${tbl}" (LIKE "${tbl}" INCLUDING ALL)`);
    }
    // LIKE copies columns, defaults and indexes but not foreign keys; add them so the baseline
    // checks what any insert into this schema must check.
    await client.query(`
      ALTER TABLE "copy_Post" ADD FOREIGN KEY ("authorId") REFERENCES "copy_XAuthor"(id);
      ALTER TABLE "copy_Bookmark" ADD FOREIGN KEY ("postId") REFERENCES "copy_Post"(id);
      ALTER TABLE "copy_Bookmark" ADD FOREIGN KEY ("userId") REFERENCES "User"(id);`);
    const copyStart = performance.now();
    await client.query("BEGIN");
    for (const [tbl] of tables) {
      await pipeline(Readable.from([dumps.get(tbl)!]), client.query(copyFrom(`COPY "copy_${tbl}" (${cols[tbl]}) FROM STDIN`)));
    }
    await client.query("COMMIT");
    const copySeconds = (performance.now() - copyStart) / 1000;
    const copyRate = saved / copySeconds;
    await client.query(`DROP TABLE "copy_Bookmark", "copy_Post", "copy_XAuthor"`);
    await client.end();

    const result = {
      date: new Date().toISOString(),
      bookmarks: saved,
      pageSize: PAGE_SIZE,
      pages: final.pages,
      apiCalls: final.apiCalls,
      seconds: Number(seconds.toFixed(3)),
      bookmarksPerSecond: Math.round(rate),
      copyBaselineSeconds: Number(copySeconds.toFixed(3)),
      copyBookmarksPerSecond: Math.round(copyRate),
      ratioToCopy: Number((rate / copyRate).toFixed(3)),
      // Queue pick-up (queued → started) and the run's own duration, as the run recorded them.
      pickupMs: final.startedAt!.getTime() - final.queuedAt.getTime(),
      runDurationMs: final.durationMs,
      workerPeakRssMb: Number(workerPeak.toFixed(1)),
      workerRssBeforeMb: Number(rssBefore.toFixed(1)),
      cpuSeconds: cpu,
    };
    console.log("");
    console.log(`  end to end:   ${saved} bookmarks in ${result.seconds} s = ${result.bookmarksPerSecond} bookmarks/s (target >= 3000)`);
    console.log(`  of which:     ${result.pickupMs} ms from queued to started, ${result.runDurationMs} ms in the run itself`);
    console.log(
      `  COPY baseline: ${result.copyBaselineSeconds} s = ${result.copyBookmarksPerSecond} bookmarks/s (same authors, posts, bookmarks; same indexes and FKs; one transaction)`,
    );
    console.log(`  ratio:        ${result.ratioToCopy}x COPY (target >= 0.3)`);
    console.log(`  worker RSS:   peak ${result.workerPeakRssMb} MB (idle ${result.workerRssBeforeMb} MB; target < 256)`);
    console.log(`  CPU used:     worker ${cpu.worker} s, X sandbox ${cpu.sandbox} s (this machine: ${availableParallelism()} cores)`);
    console.log("");
    writeResults("single", result);
  } finally {
    await stopProcess(worker);
  }
}

/** One run of the multi-user scenario, as Postgres has it (timestamps as epoch ms). */
interface RunRow {
  userId: string;
  status: string;
  error: string | null;
  apiCalls: number;
  pages: number;
  fetched: number;
  rateLimitWaitMs: number | null;
  errorCount: number | null;
  queued: number;
  started: number | null;
  finished: number | null;
  library: number;
}

/**
 * Scenario 2 (issue #3): --users users × --per-user bookmarks, --latency ms per X request and
 * X's per-user rate limit; all full syncs started at once. Returns the FAIL lines (none: passed).
 */
async function multiUser({ env, dbUrl, sandbox, app }: Context): Promise<string[]> {
  const { db, services, startSync, channels, control } = app;
  const failures: string[] = [];

  log(`creating ${USERS} sandbox accounts with ${PER_USER} bookmarks each…`);
  const stamp = Date.now();
  const xUsers = await Promise.all(
    Array.from({ length: USERS }, (_, i) =>
      control<{ id: string; username: string }>("POST", "/users", { username: `bench_${stamp}_${i}`, bookmarks: PER_USER }),
    ),
  );
  const users = await Promise.all(xUsers.map((x) => app.linkSandboxAccount({ db, key: app.key, control }, x)));

  // A worker of its own (so its peak RSS is this scenario's), started as in scenario 1; it
  // keeps its default concurrency unless --concurrency is given.
  const workerEnv: NodeJS.ProcessEnv = {
    ...env,
    WORKER_PORT: String(MULTI_WORKER_PORT),
    NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? "",
  };
  delete workerEnv.SYNC_CONCURRENCY;
  if (CONCURRENCY !== undefined) workerEnv.SYNC_CONCURRENCY = String(CONCURRENCY);
  const worker = startProcess("worker", ["dist/worker.mjs"], workerEnv);
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  const sub = new Redis(env.REDIS_URL!);
  let poll: NodeJS.Timeout | undefined;
  try {
    const healthUrl = `http://127.0.0.1:${MULTI_WORKER_PORT}/health`;
    await waitHttp(healthUrl);
    const health = (await (await fetch(healthUrl)).json()) as { concurrency?: number };
    const concurrency = health.concurrency ?? CONCURRENCY ?? NaN;
    const concurrencySource = CONCURRENCY === undefined ? "the worker's default" : "--concurrency";
    const faults = await control("PUT", "/faults", { latencyMs: LATENCY_MS, rateLimit: RATE_LIMIT });
    log(`worker SYNC_CONCURRENCY ${concurrency} (${concurrencySource}); sandbox faults ${JSON.stringify(faults)}`);

    const rssBefore = peakRssMb(worker.pid!);
    const cpuBefore = { worker: cpuSeconds(worker.pid!), sandbox: cpuSeconds(sandbox.pid!) };

    // Each user is new, so each has exactly one run: wait for every user's done/failed event on
    // the progress channels the UI uses, with a look at Postgres every 2 s in case one is missed.
    const pending = new Set(users.map((u) => u.id));
    const seen = { rateLimitWaits: 0, retries: 0 };
    let lastFinished = 0;
    let allFinished!: () => void;
    const finished = new Promise<void>((resolve) => (allFinished = resolve));
    sub.on("message", (_channel: string, message: string) => {
      const e = JSON.parse(message) as { phase: string; userId: string };
      if (e.phase === "waiting_rate_limit") seen.rateLimitWaits++;
      if (e.phase === "retrying") seen.retries++;
      if ((e.phase === "done" || e.phase === "failed") && pending.delete(e.userId)) {
        lastFinished = performance.now();
        if (pending.size === 0) allFinished();
      }
    });
    await sub.subscribe(...users.map((u) => channels.syncProgress(u.id)));
    const userIds = users.map((u) => u.id);

    log(`starting ${USERS} full syncs at once…`);
    const t0Epoch = Date.now();
    const t0 = performance.now();
    const starts = await Promise.all(users.map((u) => startSync(services, u.id, "full")));
    const enqueueMs = performance.now() - t0;
    const runIds = starts.map((s) => s.run.id);
    const reused = starts.filter((s) => !s.created).length;
    if (reused > 0) failures.push(`${reused} startSync call(s) returned an already open run instead of a new one`);

    poll = setInterval(() => {
      client
        .query<{ n: number }>(`SELECT count(*)::int AS n FROM "SyncRun" WHERE id = ANY($1) AND status IN ('SUCCEEDED', 'FAILED')`, [runIds])
        .then((r) => {
          if (r.rows[0]!.n === runIds.length && pending.size > 0) {
            pending.clear();
            lastFinished = performance.now();
            allFinished();
          }
        })
        .catch(() => undefined);
    }, 2_000);
    let timedOut = false;
    await within(finished, TIMEOUT_MS, "multi-user syncs").catch((e: Error) => {
      timedOut = true;
      failures.push(`${e.message}: ${pending.size} of ${USERS} runs still open (raise --timeout?)`);
    });
    clearInterval(poll);
    const observedSeconds = timedOut ? NaN : (lastFinished - t0) / 1000;
    const workerPeak = peakRssMb(worker.pid!);
    const cpu = {
      worker: Number((cpuSeconds(worker.pid!) - cpuBefore.worker).toFixed(2)),
      sandbox: Number((cpuSeconds(sandbox.pid!) - cpuBefore.sandbox).toFixed(2)),
    };

    // The runs as recorded. Raw SQL, so the bench does not depend on every column of the
    // generated client (rateLimitWaitMs is read when the column exists).
    const { rows: raw } = await client.query(
      `SELECT r."userId", r.status::text AS status, r.error, r."apiCalls", r.pages, r.fetched,
              (to_jsonb(r) ->> 'rateLimitWaitMs')::bigint AS "rateLimitWaitMs",
              CASE WHEN jsonb_typeof(to_jsonb(r) -> 'errors') = 'array' THEN jsonb_array_length(to_jsonb(r) -> 'errors') END AS "errorCount",
              extract(epoch FROM r."queuedAt") * 1000 AS queued,
              extract(epoch FROM r."startedAt") * 1000 AS started,
              extract(epoch FROM r."finishedAt") * 1000 AS finished,
              (SELECT count(*) FROM "Bookmark" b WHERE b."userId" = r."userId") AS library
         FROM "SyncRun" r WHERE r.id = ANY($1)`,
      [runIds],
    );
    const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    const runs: RunRow[] = raw.map((r: Record<string, unknown>) => ({
      userId: String(r.userId),
      status: String(r.status),
      error: (r.error as string | null) ?? null,
      apiCalls: Number(r.apiCalls),
      pages: Number(r.pages),
      fetched: Number(r.fetched),
      rateLimitWaitMs: num(r.rateLimitWaitMs),
      errorCount: num(r.errorCount),
      queued: Number(r.queued),
      started: num(r.started),
      finished: num(r.finished),
      library: Number(r.library),
    }));
    const done = runs.filter((r) => r.started !== null && r.finished !== null);
    const runMs = done.map((r) => r.finished! - r.started!);
    const queuedToFinishedMs = done.map((r) => r.finished! - r.queued);
    const pickupMs = done.map((r) => r.started! - r.queued);
    const seconds = (maxOf(done.map((r) => r.finished!)) - t0Epoch) / 1000;
    const saved = runs.reduce((n, r) => n + r.library, 0);
    const apiCalls = runs.reduce((n, r) => n + r.apiCalls, 0);
    const waitColumn = runs.some((r) => r.rateLimitWaitMs !== null);
    const rateLimitWaitMs = waitColumn ? runs.reduce((n, r) => n + (r.rateLimitWaitMs ?? 0), 0) : null;
    const runErrors = runs.reduce((n, r) => n + (r.errorCount ?? 0), 0);

    // The sandbox's side: every bookmarks request it saw per user, and how many its rate window
    // let through; the rest were answered 429 (the window outlasts this scenario). After a
    // timeout, requests still in flight (counted, not yet let through) are among "the rest".
    type Stats = {
      apiCalls?: { bookmarks?: number; me?: number };
      rateLimit?: Record<string, { limit: number; remaining: number; reset: number | null }>;
    };
    const stats = await Promise.all(xUsers.map((x) => control<Stats>("GET", `/users/${x.id}/stats`)));
    let sandboxCalls = 0;
    let http429 = 0;
    for (const s of stats) {
      for (const endpoint of ["bookmarks", "me"] as const) {
        const calls = s.apiCalls?.[endpoint] ?? 0;
        const w = s.rateLimit?.[endpoint];
        sandboxCalls += calls;
        if (w && w.reset !== null) http429 += Math.max(0, calls - (w.limit - w.remaining));
      }
    }

    const callsPerRun = maxOf(runs.map((r) => r.apiCalls));
    const floorSeconds = (Math.ceil(USERS / concurrency) * callsPerRun * LATENCY_MS) / 1000;
    const round = (n: number, d = 0) => (Number.isFinite(n) ? Number(n.toFixed(d)) : null);
    const spread = (v: number[]) => ({ p50: round(percentile(v, 50)), p95: round(percentile(v, 95)), max: round(maxOf(v)) });
    const result = {
      date: new Date().toISOString(),
      users: USERS,
      bookmarksPerUser: PER_USER,
      latencyMs: LATENCY_MS,
      rateLimit: RATE_LIMIT,
      pageSize: PAGE_SIZE,
      concurrency,
      concurrencySource,
      bookmarks: saved,
      // First enqueue → the last run's finishedAt; and → the last done event the bench saw.
      seconds: round(seconds, 3),
      secondsObserved: round(observedSeconds, 3),
      enqueueMs: Math.round(enqueueMs),
      jobsPerSecond: round(done.length / seconds, 2),
      bookmarksPerSecond: round(saved / seconds),
      runMs: spread(runMs),
      queuedToFinishedMs: spread(queuedToFinishedMs),
      pickupMs: spread(pickupMs),
      // Requests of one run go one after another (each page's cursor comes from the one before).
      latencyFloorSeconds: round(floorSeconds, 2),
      apiCalls,
      sandboxApiCalls: sandboxCalls,
      http429,
      rateLimitWaits: seen.rateLimitWaits,
      rateLimitWaitMs,
      retries: seen.retries,
      runErrors,
      workerPeakRssMb: round(workerPeak, 1),
      workerRssBeforeMb: round(rssBefore, 1),
      cpuSeconds: cpu,
    };

    // Correctness: every run SUCCEEDED and every library holds exactly what X has.
    if (runs.length !== USERS) failures.push(`${runs.length} runs found for ${USERS} users`);
    for (const r of runs) {
      if (r.status !== "SUCCEEDED") failures.push(`user ${r.userId}: run ${r.status}${r.error ? ` (${r.error})` : ""}`);
      if (r.library !== PER_USER) failures.push(`user ${r.userId}: ${r.library} bookmarks in the library, expected ${PER_USER}`);
    }
    const succeeded = runs.filter((r) => r.status === "SUCCEEDED").length;

    const na = (v: number | null) => (v === null ? "n/a" : String(v));
    const ms = (v: number | null) => (v === null ? "n/a" : `${v} ms`);
    console.log("");
    console.log(
      `  multi-user:   ${USERS} users × ${PER_USER} bookmarks, all full syncs started at once; X sandbox ${LATENCY_MS} ms per request, rate limit ${RATE_LIMIT.limit} requests / ${RATE_LIMIT.windowSeconds} s per user; page size ${PAGE_SIZE}`,
    );
    console.log(`  worker:       SYNC_CONCURRENCY ${concurrency} (${concurrencySource})`);
    console.log(
      `  wall time:    ${na(result.seconds)} s from first enqueue to last run finished (enqueueing all ${USERS}: ${result.enqueueMs} ms; last done event seen at ${na(result.secondsObserved)} s)`,
    );
    console.log(`  throughput:   ${na(result.jobsPerSecond)} jobs/s, ${na(result.bookmarksPerSecond)} bookmarks/s (${saved} bookmarks)`);
    console.log(
      `  job duration: startedAt→finishedAt p50 ${ms(result.runMs.p50)}, p95 ${ms(result.runMs.p95)} (max ${ms(result.runMs.max)})`,
    );
    console.log(
      `                queuedAt→finishedAt p50 ${ms(result.queuedToFinishedMs.p50)}, p95 ${ms(result.queuedToFinishedMs.p95)} (max ${ms(result.queuedToFinishedMs.max)})`,
    );
    console.log(
      `  latency floor: ${na(result.latencyFloorSeconds)} s (ceil(${USERS}/${concurrency}) rounds × ${callsPerRun} requests in sequence × ${LATENCY_MS} ms)`,
    );
    console.log(
      `  X API calls:  ${apiCalls} (SyncRun.apiCalls; the sandbox counted ${sandboxCalls}), 429s: ${timedOut ? `<= ${http429} (requests in flight included)` : http429}, rate-limit waits: ${seen.rateLimitWaits}${rateLimitWaitMs === null ? "" : ` (${rateLimitWaitMs} ms waited)`}, retries: ${seen.retries}, run errors: ${runErrors}`,
    );
    console.log(`  worker RSS:   peak ${result.workerPeakRssMb} MB (idle ${result.workerRssBeforeMb} MB)`);
    console.log(`  CPU used:     worker ${cpu.worker} s, X sandbox ${cpu.sandbox} s (this machine: ${availableParallelism()} cores)`);
    if (failures.length === 0) {
      console.log(`  check:        OK: ${succeeded}/${USERS} runs SUCCEEDED, every library holds ${PER_USER} bookmarks`);
      writeResults("multi", result);
    } else {
      const shown = failures.slice(0, 20);
      for (const f of shown) console.log(`  FAIL: ${f}`);
      if (failures.length > shown.length) console.log(`  FAIL: … and ${failures.length - shown.length} more`);
      console.log(`  FAIL: multi-user scenario: ${succeeded}/${USERS} runs SUCCEEDED (figures not written to bench/results/sync.json)`);
      const tail = worker.output().trim();
      if (tail) console.log(`  worker log (last lines):\n${tail.slice(-2000)}`);
    }
    console.log("");
    return failures;
  } finally {
    clearInterval(poll);
    sub.disconnect();
    await client.end().catch(() => undefined);
    await control("PUT", "/faults", {}).catch(() => undefined);
    await stopProcess(worker);
  }
}

async function main(): Promise<number> {
  const services = await benchServices({ log, dbName: "xbookmarker_bench", redisDb: 2, prefix: "bench" });
  const { dbUrl } = services;
  const env: NodeJS.ProcessEnv = {
    ...services.env,
    X_SANDBOX_PORT: String(SANDBOX_PORT),
    X_API_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
    X_SANDBOX_BOOKMARK_CAP: "0",
    X_PAGE_SIZE: String(PAGE_SIZE),
    WORKER_PORT: String(WORKER_PORT),
    SYNC_CONCURRENCY: "1",
  };
  await dropDatabase(dbUrl);
  prisma(["migrate", "deploy"], env);
  const redis = new Redis(env.REDIS_URL!);
  await redis.flushdb();
  Object.assign(process.env, env);

  const sandbox = startProcess("sandbox", ["--import", "tsx", "sandbox/main.ts"], env);
  let app: App | undefined;
  try {
    await waitHttp(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`);
    app = await loadApp(`http://127.0.0.1:${SANDBOX_PORT}`);
    const ctx: Context = { env, dbUrl, sandbox, app };
    if (RUN_SINGLE) await singleUser(ctx);
    const failures = RUN_MULTI ? await multiUser(ctx) : [];
    return failures.length === 0 ? 0 : 1;
  } finally {
    redis.disconnect();
    if (app) {
      await app.services.close().catch(() => undefined);
      await app.closeDb(app.db).catch(() => undefined);
    }
    await Promise.allSettled([...children].map((c) => stopProcess(c, 5_000)));
    await services.stop();
  }
}

runBench(main, 2 * TIMEOUT_MS + 600_000);
