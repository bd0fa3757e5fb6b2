/**
 * `npm run bench:abuse`: one user hammers the server while another uses it normally (issue 12).
 *
 * The app's own tRPC HTTP handler (src/server/api/http.ts) and export handler behind node:http on
 * loopback, with the default limits (env.ts) and the web's statement timeouts, over this bench's
 * own database (two users with LIBRARY bookmarks each) and Redis database 9:
 *
 * - the victim lists pages of their library at a person's pace (8 requests a second; each one a
 *   cache miss, so every request runs its SQL), first alone (the baseline), then while
 * - the abuser, from 4 concurrent loops with no pause, sends long searches NFKC expands (ﷺ is 18
 *   characters and four words), searches just inside the caps, and exports of the whole library.
 *
 * Prints, per user and phase: requests, 2xx, 429s, other 4xx, 5xx, and p50/p95/p99 latency; the
 * victim's p95 under abuse against the target (< 50 ms) and against the baseline (ratio). Bounded:
 * stops by itself after the phases; never asserts (a missed target is a printed MISS).
 *
 *   npm run bench:abuse [-- --seconds 20 --library 3000]
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { getRequestListener } from "@hono/node-server";
import pg from "pg";
import superjson from "superjson";
import { benchServices } from "./bench-env";
import { dropDatabase, prisma } from "../scripts/services";

const { values: opt } = parseArgs({
  options: { seconds: { type: "string", default: "20" }, library: { type: "string", default: "3000" } },
});
const SECONDS = Math.min(300, Math.max(2, Number(opt.seconds) || 20));
const LIBRARY = Math.min(200_000, Math.max(100, Number(opt.library) || 3000));
const VICTIM_RATE = 8; // requests a second
const ABUSER_LOOPS = 4;
const TARGET_P95_MS = 50;
const log = (m: string) => console.log(`[bench] ${m}`);

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

class Tally {
  readonly ms: number[] = [];
  readonly status = { ok: 0, limited: 0, client: 0, server: 0, failed: 0 };
  add(status: number, ms: number) {
    this.ms.push(ms);
    if (status < 300) this.status.ok++;
    else if (status === 429) this.status.limited++;
    else if (status < 500) this.status.client++;
    else this.status.server++;
  }
  line(who: string): string {
    const s = [...this.ms].sort((a, b) => a - b);
    const f = (n: number) => n.toFixed(1).padStart(7);
    const { ok, limited, client, server, failed } = this.status;
    return `${who.padEnd(28)} ${String(this.ms.length).padStart(6)} req  ${String(ok).padStart(5)} ok  ${String(limited).padStart(5)} 429  ${String(client).padStart(4)} 4xx  ${String(server + failed).padStart(3)} 5xx/err   p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))} ms`;
  }
  p95(): number {
    return percentile(
      [...this.ms].sort((a, b) => a - b),
      95,
    );
  }
}

/** Two users' libraries, set-based (one statement per table). */
async function seed(dbUrl: string): Promise<{ victim: string; abuser: string }> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const users = await c.query<{ id: string }>(
      `INSERT INTO "User" (id, name, handle, "updatedAt") VALUES ('bench-victim', 'Victim', 'victim', now()), ('bench-abuser', 'Abuser', 'abuser', now()) RETURNING id`,
    );
    await c.query(`INSERT INTO "XAuthor" (id, username, name, raw) VALUES ('a_bench', 'bench_author', 'Bench Author', '{}')`);
    const words = [
      "database",
      "running",
      "machine",
      "learning",
      "coffee",
      "travel",
      "機械学習",
      "猫",
      "ラーメン",
      "design",
      "rust",
      "postgres",
    ];
    await c.query(
      `INSERT INTO "Post" (id, "authorId", text, "postedAt", lang, raw)
       SELECT 'p' || g, 'a_bench', ($1::text[])[1 + g % 12] || ' post number ' || g || ' about ' || ($1::text[])[1 + (g * 7) % 12], now() - (g || ' minutes')::interval, CASE WHEN g % 3 = 0 THEN 'ja' ELSE 'en' END, '{}'
       FROM generate_series(1, $2::int) g`,
      [words, LIBRARY * 2],
    );
    for (const [i, u] of users.rows.entries()) {
      await c.query(
        `INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "postText", "postedAt", lang, "hasMedia", "authorId", "authorName", "authorUsername")
         SELECT $1, p.id, row_number() OVER (ORDER BY p.id), p.text, p."postedAt", p.lang, false, 'a_bench', 'Bench Author', 'bench_author'
         FROM "Post" p WHERE substr(p.id, 2)::int % 2 = $2`,
        [u.id, i],
      );
    }
    await c.query(`VACUUM ANALYZE`);
    return { victim: "bench-victim", abuser: "bench-abuser" };
  } finally {
    await c.end();
  }
}

const closers: (() => Promise<unknown>)[] = [];

async function main() {
  const { dbUrl, env, stop } = await benchServices({ log, dbName: "xb_bench_abuse", redisDb: 9, prefix: "benchabuse" });
  closers.push(stop);
  await dropDatabase(dbUrl);
  prisma(["migrate", "deploy"], { ...process.env, ...env });
  const users = await seed(dbUrl);
  log(`seeded ${LIBRARY.toLocaleString("en")} bookmarks for each of two users`);
  Object.assign(process.env, env);

  // The app, loaded once the environment is in place (limits and timeouts are the defaults).
  const { env: appEnv } = await import("~/env");
  const { db, closeDb } = await import("~/server/db");
  const { createWebServices } = await import("~/server/services");
  const { handleTrpcHttp } = await import("~/server/api/http");
  const { createTRPCContext } = await import("~/server/api/trpc");
  const { exportResponse } = await import("~/server/bookmarks/export");
  const { toAppSession } = await import("~/server/session");
  const { Redis } = await import("ioredis");
  closers.push(() => closeDb(db));
  const flush = new Redis(env.REDIS_URL!);
  await flush.flushdb();
  closers.push(async () => {
    await flush.flushdb().catch(() => undefined);
    flush.disconnect();
  });
  const services = createWebServices({ db, redisUrl: env.REDIS_URL!, prefix: env.BULLMQ_PREFIX! });
  closers.push(() => services.close());

  const sessionOf = (id: string) => toAppSession({ id }, new Date(Date.now() + 86_400_000));
  const server: Server = createServer(
    getRequestListener((req) => {
      const user = req.headers.get("x-bench-user");
      const session = user ? sessionOf(user) : null;
      if (new URL(req.url).pathname === "/api/export") return exportResponse(db, session, req, { limits: services.limits });
      return handleTrpcHttp(req, async () => createTRPCContext({ session, services }));
    }),
  );
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  closers.push(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  log(
    `limits: ${appEnv.RATE_LIMIT_CALLS_PER_MINUTE} calls/min, ${appEnv.RATE_LIMIT_EXPORTS_PER_HOUR} exports/h (one at a time); statement_timeout ${appEnv.DB_STATEMENT_TIMEOUT_MS} ms; ${SECONDS} s per phase`,
  );

  const listUrl = (q: string, sort: string) =>
    `${base}/api/trpc/bookmarks.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ filter: { q, sort }, cursor: null, limit: 30 }) }))}`;
  async function timed(tally: Tally, url: string, user: string): Promise<void> {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { headers: { "x-bench-user": user } });
      await res.arrayBuffer();
      tally.add(res.status, performance.now() - t0);
    } catch {
      tally.status.failed++;
    }
  }

  const victimQueries = ["", "database", "machine learning", "猫", "from:bench_author", "coffee -rust", "機械学習"];
  async function victim(tally: Tally, until: number) {
    for (let i = 0; performance.now() < until; i++) {
      const next = performance.now() + 1000 / VICTIM_RATE;
      await services.cache.invalidate(users.victim); // a cache miss each time: the SQL runs
      await timed(tally, listUrl(victimQueries[i % victimQueries.length]!, i % 3 === 0 ? "relevance" : "newest"), users.victim);
      await new Promise((r) => setTimeout(r, Math.max(0, next - performance.now())));
    }
  }

  const abuserQueries = [
    "ﷺ".repeat(30), // 30 characters typed, 540 after NFKC: refused by the length cap
    "ﷺ ".repeat(8).trim(), // 32 words after NFKC: just inside the caps
    Array.from({ length: 32 }, (_, i) => `w${i}x`).join(" "), // 32 words that match nothing
    "database running machine learning coffee travel design rust postgres post number about",
  ];
  async function abuser(search: Tally, exports: Tally, until: number, loop: number) {
    for (let i = 0; performance.now() < until; i++) {
      if ((i + loop) % 10 === 0) {
        await timed(exports, `${base}/api/export?format=csv`, users.abuser);
      } else {
        await services.cache.invalidate(users.abuser);
        await timed(search, listUrl(abuserQueries[i % abuserQueries.length]!, "relevance"), users.abuser);
      }
    }
  }

  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(" / ");
  log(`phase 1: the victim alone (load ${load()})`);
  const baseline = new Tally();
  await victim(baseline, performance.now() + SECONDS * 1000);

  log(`phase 2: the victim while the abuser hammers search and export from ${ABUSER_LOOPS} loops (load ${load()})`);
  const underAbuse = new Tally();
  const search = new Tally();
  const exports = new Tally();
  const until = performance.now() + SECONDS * 1000;
  await Promise.all([victim(underAbuse, until), ...Array.from({ length: ABUSER_LOOPS }, (_, i) => abuser(search, exports, until, i))]);

  const p95 = underAbuse.p95();
  console.log("");
  console.log(baseline.line("victim bookmarks.list alone"));
  console.log(underAbuse.line("victim bookmarks.list abused"));
  console.log(search.line("abuser search"));
  console.log(exports.line("abuser export"));
  console.log("");
  console.log(
    `victim p95 under abuse: ${p95.toFixed(1)} ms (target < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "MET" : "MISS"}); ${(p95 / baseline.p95()).toFixed(2)}x the baseline p95 of ${baseline.p95().toFixed(1)} ms; load ${load()}`,
  );
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit();
  });
