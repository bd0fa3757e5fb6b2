/**
 * npm run bench:media — the media archive at work: full syncs of the sandbox's demo account (800
 * bookmarks) and hana_dev (120, some of them the same posts) by the production worker process
 * (dist/worker.mjs), which queues every post's media on `media-archive` and downloads photos
 * (original size), best MP4s, posters and avatars from the X sandbox (no latency) into a
 * filesystem store. Prints files/s and MB/s (first sync start → archive idle), the worker's peak
 * RSS (target < 256 MB), and bytes stored vs downloaded (deduplication: shared posts, avatars).
 * Options: --concurrency (MEDIA_CONCURRENCY, default the env's 4), --timeout seconds (600).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { benchServices } from "./bench-env";
import { children, cpuSeconds, peakRssMb, runBench, startProcess, stopProcess, waitHttp, within } from "./bench-process";
import { dropDatabase, prisma } from "../scripts/services";

const { values: opt } = parseArgs({
  options: { concurrency: { type: "string", default: "4" }, timeout: { type: "string", default: "600" } },
});
const CONCURRENCY = Number(opt.concurrency);
const TIMEOUT_MS = Number(opt.timeout) * 1000;
if (!Number.isInteger(CONCURRENCY) || CONCURRENCY < 1 || CONCURRENCY > 64 || !(TIMEOUT_MS > 0)) {
  console.error("bench: --concurrency must be 1-64 and --timeout a number of seconds");
  process.exit(2);
}
const SANDBOX_PORT = 4310;
const WORKER_PORT = 3311;
const log = (m: string) => console.log(`[bench] ${m}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const mb = (bytes: number) => bytes / 1e6;

async function main(): Promise<number> {
  const services = await benchServices({ log, dbName: "xbookmarker_bench_media", redisDb: 12, prefix: "bmedia" });
  const mediaDir = await mkdtemp(path.join(tmpdir(), "xb-bench-media-"));
  const env: NodeJS.ProcessEnv = {
    ...services.env,
    X_SANDBOX_PORT: String(SANDBOX_PORT),
    X_API_URL: `http://127.0.0.1:${SANDBOX_PORT}`,
    WORKER_PORT: String(WORKER_PORT),
    MEDIA_STORE: "fs",
    MEDIA_DIR: mediaDir,
    MEDIA_CONCURRENCY: String(CONCURRENCY),
  };
  await dropDatabase(services.dbUrl);
  prisma(["migrate", "deploy"], env);
  const redis = new Redis(env.REDIS_URL!);
  await redis.flushdb();
  Object.assign(process.env, env);

  const sandbox = startProcess("sandbox", ["--import", "tsx", "sandbox/main.ts"], env);
  const worker = startProcess("worker", ["dist/worker.mjs"], env);
  const { closeDb, db } = await import("~/server/db");
  const { webServices } = await import("~/server/services");
  const { startSync } = await import("~/server/sync/start");
  const { tokenKeyFromEnv } = await import("~/server/x/tokens");
  const { sandboxControl } = await import("~/testing/sandbox-control");
  const { linkSandboxAccount } = await import("~/testing/link-account");
  const { SEEDED_ACCOUNTS } = await import("../sandbox/data");
  const web = webServices();
  try {
    await waitHttp(`http://127.0.0.1:${SANDBOX_PORT}/_sandbox/health`);
    await waitHttp(`http://127.0.0.1:${WORKER_PORT}/health`);
    const control = sandboxControl(`http://127.0.0.1:${SANDBOX_PORT}`);
    const users = await Promise.all(
      ["demo", "hana_dev"].map((name) =>
        linkSandboxAccount(
          { db, key: tokenKeyFromEnv(), control },
          SEEDED_ACCOUNTS.find((a) => a.username === name)!,
        ),
      ),
    );
    const rssIdle = peakRssMb(worker.pid!);
    const cpu0 = cpuSeconds(worker.pid!);
    const sandboxCpu0 = cpuSeconds(sandbox.pid!);
    const t0 = Date.now();
    for (const u of users) await startSync(web, u.id, "full");
    log(`syncing ${users.length} users; archiving their media (MEDIA_CONCURRENCY ${CONCURRENCY}) …`);

    // Idle: every run ended and the media queue has nothing waiting, delayed or running.
    await within(
      (async () => {
        for (;;) {
          const open = await db.syncRun.count({ where: { status: { in: ["QUEUED", "RUNNING"] } } });
          const c = await web.mediaQueue.getJobCounts("waiting", "prioritized", "active", "delayed");
          if (open === 0 && Object.values(c).every((n) => n === 0)) return;
          await sleep(200);
        }
      })(),
      TIMEOUT_MS,
      "media archive",
    );
    const seconds = (Date.now() - t0) / 1000;

    const jobs = await web.mediaQueue.getCompleted(0, 10_000);
    const failedJobs = await web.mediaQueue.getFailed(0, 10_000);
    const sum = (k: "stored" | "reused" | "failed" | "skipped" | "bytesDownloaded" | "bytesStored") =>
      jobs.reduce((n, j) => n + Number((j.returnvalue as Record<string, number> | null)?.[k] ?? 0), 0);
    const files = await db.mediaFile.aggregate({ _count: true, _sum: { size: true } });
    const byStatus = await db.mediaAsset.groupBy({ by: ["status"], _count: true });
    const downloaded = sum("bytesDownloaded");
    const stored = sum("bytesStored");
    const fetchedFiles = sum("stored");
    const reused = sum("reused");
    const peak = peakRssMb(worker.pid!);

    console.log("");
    console.log(
      `  archive:      ${users.length} users (demo 800 + hana_dev 120 bookmarks), ${jobs.length} media jobs (${failedJobs.length} failed), ${seconds.toFixed(1)} s from first sync start to idle`,
    );
    console.log(
      `  files:        ${fetchedFiles} downloaded, ${reused} reused without download (same URL or bytes); ${(fetchedFiles / seconds).toFixed(1)} files/s downloaded, ${((fetchedFiles + reused) / seconds).toFixed(1)} files/s archived`,
    );
    console.log(
      `  bytes:        ${mb(downloaded).toFixed(1)} MB downloaded (${(mb(downloaded) / seconds).toFixed(2)} MB/s), ${mb(stored).toFixed(1)} MB stored incl. thumbnails (${files._count} files, ${mb(Number(files._sum.size ?? 0)).toFixed(1)} MB in MediaFile)`,
    );
    console.log(
      `  dedup:        stored/downloaded = ${downloaded ? (stored / downloaded).toFixed(3) : "n/a"}; assets by status: ${byStatus.map((s) => `${s.status} ${s._count}`).join(", ")}`,
    );
    console.log(`  worker RSS:   peak ${peak.toFixed(1)} MB (idle ${rssIdle.toFixed(1)} MB; target < 256) ${peak < 256 ? "OK" : "OVER"}`);
    console.log(
      `  CPU used:     worker ${(cpuSeconds(worker.pid!) - cpu0).toFixed(1)} s, X sandbox ${(cpuSeconds(sandbox.pid!) - sandboxCpu0).toFixed(1)} s (it draws every image and encodes the MP4s on demand)`,
    );
    console.log("");
    return failedJobs.length === 0 && peak < 256 ? 0 : 1;
  } finally {
    redis.disconnect();
    await web.close().catch(() => undefined);
    await closeDb(db).catch(() => undefined);
    await Promise.allSettled([...children].map((c) => stopProcess(c, 5_000)));
    await rm(mediaDir, { recursive: true, force: true });
    await services.stop();
  }
}

runBench(main, TIMEOUT_MS + 300_000);
