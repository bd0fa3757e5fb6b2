/**
 * npm run bench:import — imports of the whole library, end to end through the app's own code:
 * a 100,000-bookmark twitter-web-exporter file (no API call) and a 100,000-id X archive (hydrated
 * with GET /2/tweets from the sandbox, no added latency). Each is uploaded through the upload
 * handler (stream → temporary file → staging table with the preview), then run by the import job.
 * Prints items/s of each phase and end to end, and the peak RSS while uploading (the web's part)
 * and while importing (the worker's part). Targets: exporter ≥ 5,000 items/s, archive hydration
 * ≥ 2,000 items/s, RSS < 256 MB each. Both parts run in this one process, one after the other;
 * the RSS figures are sampled per phase (`--count` changes the size).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import { benchServices } from "./bench-env";
import { dropDatabase, prisma } from "../scripts/services";

const { values: args } = parseArgs({ options: { count: { type: "string", default: "100000" } } });
const COUNT = Number(args.count);
const log = (m: string) => console.log(`[bench:import] ${m}`);
const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;

/** Samples RSS every 20 ms while `fn` runs; answers its result, seconds and the peak. */
async function measure<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const t0 = performance.now();
  try {
    const value = await fn();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: peak };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const services = await benchServices({ log, dbName: "xb_bench_import", redisDb: 12, prefix: "bench-import" });
  await dropDatabase(services.dbUrl);
  prisma(["migrate", "deploy"], services.env);
  // No web server here, but production mode wants the app's (loopback) URL to use the sandbox.
  Object.assign(process.env, { NEXTAUTH_URL: "http://127.0.0.1:3000", ...services.env });
  const redis = new Redis(services.env.REDIS_URL!, { maxRetriesPerRequest: null });
  await redis.flushdb();

  const { createSandbox } = await import("../sandbox/app");
  const { createPrisma, closeDb } = await import("~/server/db");
  const { importUpload } = await import("~/server/import/upload");
  const { runImport } = await import("@worker/import-job");
  const { XBreaker } = await import("@worker/x-breaker");
  const { toAppSession } = await import("~/server/session");
  const { xConfigFrom } = await import("~/server/x/config");
  const { env } = await import("~/env");
  const { tokenKeyFromEnv } = await import("~/server/x/tokens");
  const { linkSandboxAccount } = await import("~/testing/link-account");
  const { sandboxControl } = await import("~/testing/sandbox-control");

  const sandbox = await createSandbox({ seedAccounts: false, bookmarkCap: 0 }).listen(0);
  const db = createPrisma(services.dbUrl);
  const control = sandboxControl(sandbox.url);
  const x = { ...xConfigFrom(env), apiUrl: sandbox.url, tokenUrl: `${sandbox.url}/2/oauth2/token`, sandbox: true, timeoutMs: 30_000 };
  const key = tokenKeyFromEnv();
  const dir = mkdtempSync(path.join(tmpdir(), "xb-bench-import-"));
  const results: string[] = [];

  async function one(kind: "exporter" | "archive") {
    const xUser = await control<{ id: string; username: string }>("POST", "/users", { username: `bench_${kind}`, bookmarks: COUNT });
    const user = await linkSandboxAccount({ db, key, control }, xUser);
    const url = kind === "exporter" ? `/users/${xUser.id}/export?format=json` : `/users/${xUser.id}/archive`;
    const bytes = Buffer.from(await (await fetch(`${sandbox.url}/_sandbox${url}`)).arrayBuffer());
    const file = path.join(dir, kind === "exporter" ? "bookmarks.json" : "archive.zip");
    writeFileSync(file, bytes);
    log(`${kind}: ${COUNT.toLocaleString("en-US")} bookmarks, file ${mb(bytes.length)}`);
    const session = toAppSession({ id: user.id }, new Date(Date.now() + 3600_000));
    const { openAsBlob } = await import("node:fs");
    const up = await measure(async () => {
      const blob = await openAsBlob(file);
      const req = new Request("http://127.0.0.1/api/import", {
        method: "POST",
        body: blob.stream(),
        duplex: "half",
        headers: { origin: "http://127.0.0.1", "x-file-name": path.basename(file) },
      } as RequestInit);
      const big = 2 * 1024 * 1024 * 1024;
      const limits = { consume: async () => undefined, acquireImportSlot: async () => async () => undefined };
      const deps = {
        db,
        maxBytes: big,
        maxUnzippedBytes: big,
        maxItems: 10_000_000,
        limits,
        readPriceUsd: 0.005,
        allowedOrigins: new Set(["http://127.0.0.1"]),
      };
      const res = await importUpload(deps, session, req);
      if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
      return (await res.json()) as { importId: string; total: number };
    });
    await db.import.update({ where: { id: up.value.importId }, data: { status: "QUEUED" } });
    const services2 = {
      db,
      redis,
      tokens: { db, redis, key, x },
      x,
      breaker: new XBreaker(),
      readPriceUsd: 0.005,
      libraryChanged: async () => undefined,
    };
    const run = await measure(() =>
      runImport(services2, { userId: user.id, importId: up.value.importId }, { log: () => undefined, isFinalAttempt: true }),
    );
    const imp = run.value!;
    if (imp.status !== "SUCCEEDED" || imp.saved !== COUNT) throw new Error(`${kind}: ${imp.status}, saved ${imp.saved} of ${COUNT}`);
    const total = up.seconds + run.seconds;
    const line = `${kind.padEnd(8)} upload+stage ${Math.round(COUNT / up.seconds).toLocaleString("en-US")} items/s (${up.seconds.toFixed(1)} s, peak RSS ${mb(up.peakRss)}); import ${Math.round(COUNT / run.seconds).toLocaleString("en-US")} items/s (${run.seconds.toFixed(1)} s, ${imp.apiCalls} API calls, peak RSS ${mb(run.peakRss)}); end to end ${Math.round(COUNT / total).toLocaleString("en-US")} items/s`;
    log(line);
    results.push(line);
  }

  try {
    await one("exporter");
    await one("archive");
    log("targets: exporter ≥ 5,000 items/s, archive hydration ≥ 2,000 items/s, RSS < 256 MB each");
    for (const r of results) console.log(r);
  } finally {
    await sandbox.close();
    redis.disconnect();
    await closeDb(db);
    await services.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
