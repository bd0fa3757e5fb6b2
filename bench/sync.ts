/**
 * `npm run bench:sync`: one user's 10,000 bookmarks from the X sandbox (no latency, the 800
 * cap lifted) through the real path — startSync, BullMQ, the production worker process
 * (dist/worker.mjs), the X API over HTTP, batched upserts — against a raw COPY of the same rows
 * in the same run.
 *
 *   npm run bench:sync [-- --bookmarks 10000 --page-size 100]
 * Prints bookmarks/s end to end, the worker's peak RSS and CPU, and the baseline: the same rows
 * COPYed in one transaction into empty tables of the same columns, indexes and foreign keys. Writes
 * bench/results/sync.json. Targets (issue #2): >= 3,000 bookmarks/s, >= 0.3x COPY, RSS < 256 MB.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import { availableParallelism } from "node:os";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { from as copyFrom, to as copyTo } from "pg-copy-streams";
import { dropDatabase, ensurePostgres, ensureRedis, prisma, ROOT, withDatabase } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    bookmarks: { type: "string", default: "10000" },
    "page-size": { type: "string", default: "100" },
  },
});
const BOOKMARKS = Number(opt.bookmarks);
const PAGE_SIZE = Number(opt["page-size"]);
const SANDBOX_PORT = 4210;
const WORKER_PORT = 3211;
const log = (m: string) => console.log(`[bench] ${m}`);

/** Starts `node <args>` directly (no npm/tsx wrapper), so its pid is the one whose memory we read. */
function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  child.on("exit", (code) => {
    if (code && code !== 0) console.error(`[${name}] exited ${code}\n${output.slice(-2000)}`);
  });
  return child;
}

async function waitHttp(url: string, timeoutMs = 60_000) {
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

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s)
}

/** Peak resident set size of a process (Linux VmHWM), in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main() {
  const pgService = await ensurePostgres({ url: process.env.DATABASE_URL, log });
  const redisService = await ensureRedis({ url: process.env.REDIS_URL, log });
  const dbUrl = withDatabase(pgService.url, "xbookmarker_bench");
  const redisUrl = new URL(redisService.url);
  redisUrl.pathname = "/2";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl.toString(),
    NEXTAUTH_SECRET: "bench-secret-bench-secret-bench-secret-0",
    TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString("base64"),
    X_SANDBOX_PORT: String(SANDBOX_PORT),
    X_API_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
    X_SANDBOX_BOOKMARK_CAP: "0",
    X_PAGE_SIZE: String(PAGE_SIZE),
    WORKER_PORT: String(WORKER_PORT),
    BULLMQ_PREFIX: "bench",
    SYNC_CONCURRENCY: "1",
  };
  await dropDatabase(dbUrl);
  prisma(["migrate", "deploy"], env);
  const redis = new Redis(env.REDIS_URL!);
  await redis.flushdb();
  Object.assign(process.env, env);

  const sandbox = startProcess("sandbox", ["--import", "tsx", "sandbox/main.ts"], env);
  // The production build of the worker (npm run bench:sync builds it first).
  const worker = startProcess("worker", ["dist/worker.mjs"], { ...env, NODE_OPTIONS: process.env.BENCH_WORKER_NODE_OPTIONS ?? "" });
  try {
    await waitHttp(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`);
    await waitHttp(`http://127.0.0.1:${WORKER_PORT}/health`);

    // The app's own modules, loaded after the environment above is in place.
    const { closeDb, db } = await import("~/server/db");
    const { webServices } = await import("~/server/services");
    const { startSync } = await import("~/server/sync/start");
    const { channels } = await import("~/server/sync/events");
    const { tokenKeyFromEnv } = await import("~/server/x/tokens");
    const { sandboxControl } = await import("~/testing/sandbox-control");
    const { linkSandboxAccount } = await import("~/testing/link-account");

    const control = sandboxControl(`http://127.0.0.1:${SANDBOX_PORT}`);
    log(`creating a sandbox account with ${BOOKMARKS} bookmarks…`);
    const xUser = await control<{ id: string; username: string }>("POST", "/users", { username: `bench_${Date.now()}`, bookmarks: BOOKMARKS });
    const user = await linkSandboxAccount({ db, key: tokenKeyFromEnv(), control }, xUser);

    const services = webServices();
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
    await done;
    const seconds = (performance.now() - started) / 1000;
    sub.disconnect();
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
    const tables = [
      ["XAuthor", `SELECT * FROM "XAuthor"`],
      ["Post", `SELECT * FROM "Post"`],
      ["Bookmark", `SELECT * FROM "Bookmark" WHERE "userId" = '${user.id}'`],
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
      await pipeline(Readable.from([dumps.get(tbl)!]), client.query(copyFrom(`COPY "copy_${tbl}" FROM STDIN`)));
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
    console.log(`  COPY baseline: ${result.copyBaselineSeconds} s = ${result.copyBookmarksPerSecond} bookmarks/s (same authors, posts, bookmarks; same indexes and FKs; one transaction)`);
    console.log(`  ratio:        ${result.ratioToCopy}x COPY (target >= 0.3)`);
    console.log(`  worker RSS:   peak ${result.workerPeakRssMb} MB (idle ${result.workerRssBeforeMb} MB; target < 256)`);
    console.log(`  CPU used:     worker ${cpu.worker} s, X sandbox ${cpu.sandbox} s (this machine: ${availableParallelism()} cores)`);
    console.log("");
    mkdirSync(path.join(ROOT, "bench/results"), { recursive: true });
    writeFileSync(path.join(ROOT, "bench/results/sync.json"), JSON.stringify(result, null, 2));

    await services.close();
    await closeDb(db);
  } finally {
    redis.disconnect();
    worker.kill("SIGTERM");
    sandbox.kill("SIGTERM");
    await Promise.allSettled([pgService.stop(), redisService.stop()]);
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
