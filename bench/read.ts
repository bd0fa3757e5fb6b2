/**
 * `npm run bench:read`: the library's read path at scale — 100,000 bookmarks for one user and
 * 1,000,000 in all (seeded by bench/read-seed.ts) — measured three ways per scenario:
 *
 * - bare: the exact SQL statements listBookmarks sends for the scenario's input (captured from
 *   the pg pool while it runs once), replayed on a plain pg Pool in this process, the same way
 *   (concurrently when it sends two). The database's floor.
 * - tRPC cold: GET /api/trpc/bookmarks.list?batch=1&input=… over real HTTP (fetch → node:http →
 *   tRPC's fetch adapter → appRouter, with the route's ETag wrapper when src/server/http/etag.ts
 *   exists), superjson-encoded as the browser's httpBatchLink sends it, the context built by
 *   createTRPCContext with the heavy user's session and createWebServices over this benchmark's
 *   database and Redis. The user's library cache is invalidated (not timed) before each request,
 *   so every one runs the SQL.
 * - tRPC warm: the same request again right after: a library-cache hit.
 *
 * Also listBookmarks called in-process (no HTTP, no cache), to split the overhead.
 * Each iteration runs bare, in-process, cold and warm in turn (the same buffer-cache state for all);
 * `--warmup` iterations first, untimed. Targets (printed, never asserted): list views p95 < 15 ms
 * and <= 3x bare SQL; searches p95 < 50 ms; both judged on the cold (cache-miss) path. Then
 * EXPLAIN (ANALYZE, BUFFERS) of each scenario's page statement: top node, the node that takes
 * the most time, the indexes used, execution time.
 *
 *   npm run bench:read [-- --iterations 300 --warmup 30 --only list,search-ja --reuse]
 *   BENCH_READ_SCALE=0.01 npm run bench:read -- --iterations 20 --warmup 2   (a quick, small run)
 *
 * Then the first open of the library (the page's four reads in one batch, as the browser sends
 * them): cold (the cache invalidated, as after a change) and warm (after the worker's cache warm,
 * src/server/library/warm.ts), and how much brotli and gzip shrink that answer.
 *
 * --reuse keeps the seeded database from an earlier run when it is complete (no re-seed).
 * Own database xb_bench_read, own Redis database 7 (only that one is flushed). Exits 0 unless
 * the bench itself fails; a missed target is a printed MISS.
 */
import { createServer, type Server } from "node:http";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { getRequestListener } from "@hono/node-server";
import { Redis } from "ioredis";
import pg from "pg";
import superjson from "superjson";
import { benchServices, intOption } from "./bench-env";
import { HEAVY_USER, SEED, TARGETS, seedReadBench } from "./read-seed";
import { dropDatabase, prisma } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    iterations: { type: "string", default: "300" },
    warmup: { type: "string", default: "30" },
    only: { type: "string" },
    reuse: { type: "boolean", default: false },
  },
});
const ITERATIONS = intOption("iterations", opt.iterations, 1, 100_000);
const WARMUP = intOption("warmup", opt.warmup, 0, 10_000);
const ONLY = opt.only ? new Set(opt.only.split(",").map((s) => s.trim())) : null;
// XB_TEST_SLOT (as for tests) gives a run its own database and Redis database, so two checkouts
// on one machine can run it at once.
const SLOT = Number(process.env.XB_TEST_SLOT ?? 0) || 0;
const DB_NAME = SLOT ? `xb_bench_read_${SLOT}` : "xb_bench_read";
const REDIS_DB = SLOT ? 11 + (SLOT % 5) : 7;
const log = (m: string) => console.log(`[bench] ${m}`);

/** Nearest-rank percentile. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
interface Spread {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}
function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), max: s.at(-1) ?? NaN };
}

type Kind = "list" | "search";
interface Scenario {
  name: string;
  kind: Kind;
  what: string;
  input: { filter?: Record<string, unknown>; cursor: string | null; limit: number; direction: "forward" };
}

interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "CTE Name"?: string;
  "Actual Total Time"?: number;
  "Actual Rows"?: number;
  "Actual Loops"?: number;
  "Rows Removed by Filter"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  "Parent Relationship"?: string;
  "Subplan Name"?: string;
  Plans?: PlanNode[];
}

function label(n: PlanNode): string {
  const on = n["Index Name"]
    ? ` using ${n["Index Name"]}`
    : n["Relation Name"]
      ? ` on ${n["Relation Name"]}`
      : n["CTE Name"]
        ? ` ${n["CTE Name"]}`
        : "";
  return `${n["Node Type"]}${on}`;
}
const inclusive = (n: PlanNode) => (n["Actual Total Time"] ?? 0) * (n["Actual Loops"] ?? 1);
function walk(n: PlanNode, visit: (n: PlanNode) => void) {
  visit(n);
  for (const c of n.Plans ?? []) walk(c, visit);
}

/** One-line summary of an EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) result. */
function planSummary(json: { Plan: PlanNode; "Execution Time": number; "Planning Time": number }): string {
  const top = json.Plan;
  // The page itself is the MATERIALIZED CTE "h" that hydrate wraps it in: name its top node too.
  let page: PlanNode | undefined;
  let heaviest: { node: PlanNode; self: number } | undefined;
  const indexes = new Set<string>();
  // A CTE's plan hangs under the node that owns it (an InitPlan) but runs inside its CTE Scan: a
  // node's own time is its time less its ordinary children's, and a CTE Scan's less its CTE's.
  const ctes = new Map<string, PlanNode>();
  walk(top, (n) => {
    if (n["Subplan Name"]?.startsWith("CTE ")) ctes.set(n["Subplan Name"].slice(4), n);
  });
  walk(top, (n) => {
    if (n["Subplan Name"] === "CTE h") page ??= n;
    if (n["Index Name"]) indexes.add(n["Index Name"]);
    const children = (n.Plans ?? []).filter((c) => c["Parent Relationship"] !== "InitPlan");
    const cte = n["Node Type"] === "CTE Scan" && n["CTE Name"] ? ctes.get(n["CTE Name"]) : undefined;
    const self = inclusive(n) - children.reduce((sum, c) => sum + inclusive(c), 0) - (cte ? inclusive(cte) : 0);
    if (!heaviest || self > heaviest.self) heaviest = { node: n, self };
  });
  const removed = heaviest?.node["Rows Removed by Filter"];
  const parts = [
    `top ${label(top)}`,
    page ? `page: ${label(page)}` : null,
    heaviest
      ? `slowest node ${label(heaviest.node)} ${heaviest.self.toFixed(2)} ms self (rows ${heaviest.node["Actual Rows"]}${removed ? `, removed by filter ${removed}` : ""}${(heaviest.node["Actual Loops"] ?? 1) > 1 ? `, loops ${heaviest.node["Actual Loops"]}` : ""})`
      : null,
    `indexes: ${[...indexes].join(", ") || "none"}`,
    `buffers hit ${top["Shared Hit Blocks"] ?? 0} read ${top["Shared Read Blocks"] ?? 0}`,
    `planning ${json["Planning Time"].toFixed(2)} ms, execution ${json["Execution Time"].toFixed(2)} ms`,
  ];
  return parts.filter(Boolean).join("; ");
}

async function seededAlready(dbUrl: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const { rows } = await c.query<{ n: number; heavy: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE "userId" = $1)::int AS heavy FROM "Bookmark"`,
      [HEAVY_USER],
    );
    return rows[0]?.n === SEED.totalBookmarks && rows[0]?.heavy === SEED.heavyBookmarks;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

const closers: (() => Promise<unknown>)[] = [];

async function main(): Promise<void> {
  const { dbUrl, redisUrl, env, stop } = await benchServices({ log, dbName: DB_NAME, redisDb: REDIS_DB, prefix: "benchread" });
  closers.push(stop);

  // --- data ---
  let seedLine = "";
  let compressionLine = "";
  /** The stored payloads' on-disk size against their full size (the admin console's figure). */
  const payloadCompressionLine = async () => {
    Object.assign(process.env, env);
    const { createPrisma, closeDb } = await import("~/server/db");
    const { storageCompression } = await import("~/server/storage/compression");
    const seedDb = createPrisma(dbUrl);
    try {
      const figure = await storageCompression(seedDb, 20_000);
      return `payload compression (sample of up to 20,000 rows per column; server default ${figure.defaultCompression}): ${figure.columns
        .filter((c) => c.rows > 0)
        .map(
          (c) =>
            `${c.table}.${c.column} ${c.setting} ${(c.rawBytes / 1024).toFixed(0)} KiB -> ${(c.storedBytes / 1024).toFixed(0)} KiB (ratio ${c.ratio?.toFixed(2)}; ${Object.entries(
              c.byMethod,
            )
              .map(([m, n]) => `${m} ${n}`)
              .join(", ")})`,
        )
        .join("; ")}`;
    } finally {
      await closeDb(seedDb);
    }
  };
  if (opt.reuse && (await seededAlready(dbUrl))) {
    seedLine = `reused the seeded ${DB_NAME} (--reuse): not timed this run`;
    log(seedLine);
    compressionLine = await payloadCompressionLine();
    log(compressionLine);
  } else {
    log(
      `seeding ${DB_NAME}: ${SEED.totalBookmarks.toLocaleString("en")} bookmarks (${SEED.heavyBookmarks.toLocaleString("en")} for one user), ${SEED.users} users, ${SEED.posts.toLocaleString("en")} posts, ${SEED.authors} authors…`,
    );
    await dropDatabase(dbUrl);
    const migrateStart = performance.now();
    prisma(["migrate", "deploy"], { ...process.env, ...env });
    const migrateSeconds = (performance.now() - migrateStart) / 1000;
    const seeded = await seedReadBench(dbUrl, log);
    seedLine = `seeded in ${seeded.seconds} s (+ ${migrateSeconds.toFixed(1)} s migrate deploy): ${Object.entries(seeded.phases)
      .map(([k, v]) => `${k} ${v} s`)
      .join("; ")}`;
    log(seedLine);
    compressionLine = await payloadCompressionLine();
    log(compressionLine);
  }

  Object.assign(process.env, env);
  const flush = new Redis(env.REDIS_URL!);
  closers.push(async () => {
    await flush.flushdb().catch(() => undefined);
    flush.disconnect();
  });
  await flush.flushdb();

  // --- the app, loaded after the environment is in place ---
  const { db, closeDb, poolOf } = await import("~/server/db");
  const { createWebServices } = await import("~/server/services");
  const { appRouter } = await import("~/server/api/root");
  const { createTRPCContext } = await import("~/server/api/trpc");
  const { toAppSession } = await import("~/server/session");
  const { listBookmarks } = await import("~/server/bookmarks/list");
  const { libraryFilter } = await import("~/shared/filter");
  const { countStatement, encodeCursor } = await import("~/server/bookmarks/query");
  const { parseSearchQuery } = await import("~/lib/search-query");
  const { fetchRequestHandler } = await import("@trpc/server/adapters/fetch");
  let withEtag: ((req: Request, res: Response) => Promise<Response>) | null = null;
  try {
    withEtag = (await import("~/server/http/etag")).withEtag;
  } catch {
    withEtag = null; // not in this checkout: the route answers without it
  }
  closers.push(() => closeDb(db));
  // The per-user call limit would refuse a benchmark: it is not what is measured.
  const services = createWebServices({ db, redisUrl: env.REDIS_URL!, prefix: env.BULLMQ_PREFIX!, limits: { callsPerMinute: 1_000_000 } });
  closers.push(() => services.close());
  const bare = new pg.Pool({ connectionString: dbUrl, max: 10 });
  closers.push(() => bare.end());

  // --- facts about the data the scenarios need ---
  const facts = await bare.query<{ version: string; shared_buffers: string; work_mem: string; size: string }>(
    `SELECT current_setting('server_version') AS version, current_setting('shared_buffers') AS shared_buffers,
            current_setting('work_mem') AS work_mem, pg_size_pretty(pg_database_size(current_database())) AS size`,
  );
  const sizes = await bare.query<{ heap: string; indexes: string }>(
    `SELECT pg_size_pretty(pg_table_size('"Bookmark"')) AS heap, pg_size_pretty(pg_indexes_size('"Bookmark"')) AS indexes`,
  );
  const tags = await bare.query<{ id: number; name: string; n: number }>(
    `SELECT t.id, t.name, count(*)::int AS n FROM "Bookmark" b CROSS JOIN unnest(b."tagIds") x JOIN "Tag" t ON t.id = x
     WHERE b."userId" = $1 AND b."deletedAt" IS NULL GROUP BY t.id, t.name ORDER BY n DESC`,
    [HEAVY_USER],
  );
  const live = SEED.heavyBookmarks;
  // The filter's tag: the one closest to 2% of the library. The combined query's: the commonest.
  const midTag = [...tags.rows].sort((a, b) => Math.abs(a.n - 0.02 * live) - Math.abs(b.n - 0.02 * live))[0]!;
  const topTag = tags.rows[0]!;
  // from: a Japanese author holding ~0.5% of the heavy user's library.
  const authors = await bare.query<{ username: string; n: number }>(
    `SELECT "authorUsername" AS username, count(*)::int AS n FROM "Bookmark"
     WHERE "userId" = $1 AND "deletedAt" IS NULL AND lang = 'ja' GROUP BY 1 ORDER BY abs(count(*) - $2) LIMIT 1`,
    [HEAVY_USER, Math.round(0.005 * live)],
  );
  const someone = authors.rows[0]!;
  const category = (
    await bare.query<{ id: number; name: string }>(`SELECT id, name FROM "Category" WHERE "userId" = $1 ORDER BY id LIMIT 1 OFFSET 2`, [
      HEAVY_USER,
    ])
  ).rows[0]!;
  const deep = await bare.query<{ sortKey: string; id: string }>(
    `SELECT "sortKey"::text AS "sortKey", id::text FROM "Bookmark" WHERE "userId" = $1 AND "deletedAt" IS NULL
     ORDER BY "sortKey" DESC, id DESC OFFSET $2 LIMIT 1`,
    [HEAVY_USER, Math.min(50_000, Math.floor(SEED.heavyBookmarks / 2))],
  );
  const deepCursor = encodeCursor({ sort: "newest", sortKey: BigInt(deep.rows[0]!.sortKey), id: BigInt(deep.rows[0]!.id) });

  const page = (filter: Record<string, unknown> | undefined, cursor: string | null = null): Scenario["input"] => ({
    ...(filter && { filter }),
    cursor,
    limit: 30,
    direction: "forward",
  });
  const allScenarios: Scenario[] = [
    { name: "list", kind: "list", what: "newest, first page", input: page(undefined) },
    { name: "list-deep", kind: "list", what: "newest, cursor 50,000 rows in", input: page(undefined, deepCursor) },
    { name: "tag", kind: "list", what: `tag filter, any: "${midTag.name}"`, input: page({ tagIds: [midTag.id], tagMode: "any" }) },
    { name: "category", kind: "list", what: `category filter: "${category.name}"`, input: page({ categoryId: category.id }) },
    { name: "search-en", kind: "search", what: `"${TARGETS.en.word}"`, input: page({ q: TARGETS.en.word }) },
    {
      name: "search-en-rel",
      kind: "search",
      what: `"${TARGETS.en.word}", relevance`,
      input: page({ q: TARGETS.en.word, sort: "relevance" }),
    },
    { name: "search-ja", kind: "search", what: `"${TARGETS.ja4.word}"`, input: page({ q: TARGETS.ja4.word }) },
    { name: "search-ja2", kind: "search", what: `"${TARGETS.ja2.word}" (2 chars)`, input: page({ q: TARGETS.ja2.word }) },
    { name: "search-ja1", kind: "search", what: `"${TARGETS.ja1.word}" (1 char)`, input: page({ q: TARGETS.ja1.word }) },
    {
      name: "combined",
      kind: "search",
      what: `"from:${someone.username} #${topTag.name} lang:ja"`,
      input: page({ q: `from:${someone.username} #${topTag.name} lang:ja` }),
    },
  ];
  const scenarios = allScenarios.filter((s) => !ONLY || ONLY.has(s.name));
  if (scenarios.length === 0) throw new Error(`--only names none of: ${allScenarios.map((s) => s.name).join(", ")}`);

  // --- the tRPC HTTP path ---
  const session = toAppSession(
    { id: HEAVY_USER, name: "Bench user 0", handle: "bench_user_0", role: "USER" },
    new Date(Date.now() + 86_400_000),
  );
  let serverErrors = 0;
  const handle = async (req: Request): Promise<Response> => {
    const res = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req,
      router: appRouter,
      createContext: async () => createTRPCContext({ session, services }),
      onError({ error }) {
        serverErrors++;
        if (serverErrors <= 3) console.error("[bench] tRPC error:", error.cause ?? error);
      },
    });
    return withEtag ? withEtag(req, res) : res;
  };
  const server: Server = createServer(getRequestListener(handle));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no server address");
  const base = `http://127.0.0.1:${address.port}`;

  const urlOf = (input: Scenario["input"]) =>
    `${base}/api/trpc/bookmarks.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize(input) }))}`;
  /** One GET as the browser sends it; resolves when the whole body is in. */
  async function request(url: string): Promise<{ ms: number; body: string }> {
    const t0 = performance.now();
    const res = await fetch(url, { headers: { accept: "*/*", "content-type": "application/json" } });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${body.slice(0, 500)}`);
    return { ms, body };
  }
  interface PageOut {
    items: { id: string }[];
    nextCursor: string | null;
  }
  const decode = (body: string): PageOut => {
    const parsed = JSON.parse(body) as [{ result: { data: Parameters<typeof superjson.deserialize>[0] } }];
    return superjson.deserialize<PageOut>(parsed[0].result.data);
  };

  /** Runs listBookmarks once for the input (as the router does) and records the statements it sends. */
  async function captureStatements(input: Scenario["input"]): Promise<{ statements: pg.QueryConfig[]; out: PageOut }> {
    const pool = poolOf(db);
    const original = pool.query;
    const statements: pg.QueryConfig[] = [];
    (pool as { query: unknown }).query = function (this: pg.Pool, config: unknown, values?: unknown) {
      if (typeof config === "string") statements.push({ text: config, values: values as unknown[] | undefined });
      else {
        const c = config as pg.QueryConfig;
        statements.push({ ...(c.name && { name: c.name }), text: c.text, values: c.values ? [...c.values] : undefined });
      }
      return (original as (...a: unknown[]) => unknown).apply(
        this,
        [config, values].filter((x) => x !== undefined),
      );
    };
    try {
      const filter = libraryFilter.parse(input.filter ?? {});
      const out = await listBookmarks(db, HEAVY_USER, filter, { cursor: input.cursor, limit: input.limit });
      return { statements, out };
    } finally {
      pool.query = original;
    }
  }

  log(
    `server: tRPC fetch adapter behind node:http on ${base}${withEtag ? " (with the route's ETag wrapper)" : ""}; ${ITERATIONS} iterations after ${WARMUP} warm-up per scenario; cache invalidated before each cold request`,
  );

  interface Result {
    s: Scenario;
    matched: number;
    statements: number;
    bare: Spread;
    fn: Spread;
    cold: Spread;
    warm: Spread;
    bytes: number;
    plan: string;
    planText: string;
  }
  const results: Result[] = [];
  const benchStart = performance.now();
  // Others' processes on this machine skew tail latencies: say how busy it was.
  const load = () =>
    loadavg()
      .map((n) => n.toFixed(2))
      .join(" / ");
  const loadBefore = load();
  for (const s of scenarios) {
    const filter = libraryFilter.parse(s.input.filter ?? {});
    const count = countStatement(HEAVY_USER, filter, parseSearchQuery(filter.q));
    const matched = (await bare.query<{ n: number }>(count)).rows[0]!.n;
    const { statements, out: direct } = await captureStatements(s.input);
    const url = urlOf(s.input);

    // Same answer over HTTP as from listBookmarks directly?
    await services.cache.invalidate(HEAVY_USER);
    const first = decode((await request(url)).body);
    const same = first.items.map((i) => i.id).join() === direct.items.map((i) => i.id).join() && first.nextCursor === direct.nextCursor;
    if (!same) throw new Error(`${s.name}: the tRPC answer differs from listBookmarks'`);
    if (direct.items.length === 0) log(`warning: ${s.name} returns no rows`);

    const times = { bare: [] as number[], fn: [] as number[], cold: [] as number[], warm: [] as number[] };
    let bytes = 0;
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      const timed = i >= WARMUP;
      const t0 = performance.now();
      await Promise.all(statements.map((st) => bare.query(st)));
      const bareMs = performance.now() - t0;
      const t1 = performance.now();
      await listBookmarks(db, HEAVY_USER, filter, { cursor: s.input.cursor, limit: s.input.limit });
      const fnMs = performance.now() - t1;
      await services.cache.invalidate(HEAVY_USER);
      const cold = await request(url);
      const warm = await request(url);
      if (warm.body !== cold.body) throw new Error(`${s.name}: a cache hit answered differently`);
      if (timed) {
        times.bare.push(bareMs);
        times.fn.push(fnMs);
        times.cold.push(cold.ms);
        times.warm.push(warm.ms);
        bytes = cold.body.length;
      }
    }

    const main = statements.find((st) => st.text.startsWith("WITH h AS MATERIALIZED")) ?? statements[0]!;
    const explained = await bare.query<{ "QUERY PLAN": [{ Plan: PlanNode; "Execution Time": number; "Planning Time": number }] }>({
      text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${main.text}`,
      values: main.values,
    });
    const textPlan = await bare.query<{ "QUERY PLAN": string }>({ text: `EXPLAIN (ANALYZE, BUFFERS) ${main.text}`, values: main.values });
    results.push({
      s,
      matched,
      statements: statements.length,
      bare: spread(times.bare),
      fn: spread(times.fn),
      cold: spread(times.cold),
      warm: spread(times.warm),
      bytes,
      plan: planSummary(explained.rows[0]!["QUERY PLAN"][0]),
      planText: textPlan.rows.map((r) => r["QUERY PLAN"]).join("\n"),
    });
    const r = results.at(-1)!;
    log(`${s.name}: bare p95 ${r.bare.p95.toFixed(2)} ms, cold p95 ${r.cold.p95.toFixed(2)} ms, warm p95 ${r.warm.p95.toFixed(2)} ms`);
  }
  // --- the first open of the library: cold (after a change) and warm (after the worker's warm) ---
  const { DEFAULT_VIEW_FILTER, LIBRARY_PAGE_SIZE } = await import("~/lib/library-view");
  const { warmDefaultView } = await import("~/server/library/warm");
  const { brotliCompressSync, gzipSync, constants: zlibConstants } = await import("node:zlib");
  // The page's four reads in one batch, as httpBatchLink sends them on opening the library.
  const openInputs = [
    { filter: DEFAULT_VIEW_FILTER, limit: LIBRARY_PAGE_SIZE, direction: "forward" },
    { filter: DEFAULT_VIEW_FILTER },
    undefined,
    undefined,
  ];
  const openUrl = `${base}/api/trpc/bookmarks.list,bookmarks.count,tags.list,categories.list?batch=1&input=${encodeURIComponent(
    JSON.stringify(Object.fromEntries(openInputs.map((input, i) => [i, superjson.serialize(input)]))),
  )}`;
  const open = { cold: [] as number[], warm: [] as number[], warmHits: 0 };
  let openBody = "";
  for (let i = 0; i < WARMUP + ITERATIONS; i++) {
    await services.cache.invalidate(HEAVY_USER);
    const cold = await request(openUrl);
    await services.cache.invalidate(HEAVY_USER);
    const warmed = await warmDefaultView({ db, redis: services.redis, cache: services.cache }, HEAVY_USER, 600);
    const warm = await request(openUrl);
    if (warm.body !== cold.body) throw new Error("first open: the warmed answer differs from the cold one");
    if (i >= WARMUP) {
      open.cold.push(cold.ms);
      open.warm.push(warm.ms);
      if (warmed.warmed === 4) open.warmHits++;
      openBody = cold.body;
    }
  }
  const openRaw = Buffer.byteLength(openBody);
  const openBr = brotliCompressSync(openBody, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 4 } }).length;
  const openGz = gzipSync(openBody).length;
  const firstOpen = { cold: spread(open.cold), warm: spread(open.warm), raw: openRaw, br: openBr, gz: openGz, warmHits: open.warmHits };
  log(`first open: cold p50 ${firstOpen.cold.p50.toFixed(2)} ms, warm p50 ${firstOpen.warm.p50.toFixed(2)} ms`);

  const benchSeconds = (performance.now() - benchStart) / 1000;
  const loadAfter = load();

  // --- report ---
  const f = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
  // Terminal columns: CJK and full-width characters take two.
  const width = (v: string) =>
    Array.from(v).reduce(
      (n, ch) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1),
      0,
    );
  const pad = (v: string, w: number) => v + " ".repeat(Math.max(0, w - width(v)));
  const lpad = (v: string, w: number) => v.padStart(w);
  const verdict = (r: Result) => {
    const ratio = r.cold.p95 / r.bare.p95;
    if (r.s.kind === "list") {
      const okAbs = r.cold.p95 < 15;
      const okRatio = ratio <= 3;
      return {
        ratio,
        target: "p95<15ms, <=3x bare",
        pass: okAbs && okRatio,
        why: [!okAbs && "p95 >= 15 ms", !okRatio && "> 3x bare"].filter(Boolean).join(", "),
      };
    }
    const ok = r.cold.p95 < 50;
    return { ratio, target: "p95<50ms", pass: ok, why: ok ? "" : "p95 >= 50 ms" };
  };

  console.log("");
  console.log(
    `Read path: ${SEED.totalBookmarks.toLocaleString("en")} bookmarks, heavy user ${SEED.heavyBookmarks.toLocaleString("en")}; PostgreSQL ${facts.rows[0]!.version} (shared_buffers ${facts.rows[0]!.shared_buffers}, work_mem ${facts.rows[0]!.work_mem}), database ${facts.rows[0]!.size} (Bookmark heap ${sizes.rows[0]!.heap}, its indexes ${sizes.rows[0]!.indexes}); ${availableParallelism()} cores; Node ${process.version}`,
  );
  console.log(`Seeding: ${seedLine}`);
  console.log(`Stored payloads: ${compressionLine}`);
  console.log(
    `Machine load average (1 / 5 / 15 min): ${loadBefore} before the measurements, ${loadAfter} after (${availableParallelism()} cores; above ~${availableParallelism()} other work competed for the CPU)`,
  );
  console.log(
    `Each scenario: ${ITERATIONS} timed iterations (after ${WARMUP}), one request at a time; times in ms; "bare" = listBookmarks' SQL on a plain pg Pool; "fn" = listBookmarks called in-process (no HTTP, no cache); "cold" = tRPC over HTTP, cache invalidated before the request (SQL runs), "warm" = the same request repeated (library-cache hit). Targets judged on tRPC cold p95; "KB" = response body.`,
  );
  console.log("");
  const head = [
    pad("scenario", 14),
    pad("query", 44),
    lpad("matches", 8),
    lpad("bare p50", 9),
    lpad("bare p95", 9),
    lpad("fn p50", 7),
    lpad("fn p95", 7),
    lpad("cold p50", 9),
    lpad("cold p95", 9),
    lpad("cold p99", 9),
    lpad("cold/bare", 10),
    lpad("warm p50", 9),
    lpad("warm p95", 9),
    lpad("KB", 6),
    "  target               result",
  ].join(" ");
  console.log(head);
  console.log("-".repeat(head.length + 10));
  for (const r of results) {
    const v = verdict(r);
    console.log(
      [
        pad(r.s.name, 14),
        pad(width(r.s.what) > 44 ? `${r.s.what.slice(0, 43)}…` : r.s.what, 44),
        lpad(String(r.matched), 8),
        lpad(f(r.bare.p50), 9),
        lpad(f(r.bare.p95), 9),
        lpad(f(r.fn.p50), 7),
        lpad(f(r.fn.p95), 7),
        lpad(f(r.cold.p50), 9),
        lpad(f(r.cold.p95), 9),
        lpad(f(r.cold.p99), 9),
        lpad(`${r.bare.p95 > 0 ? v.ratio.toFixed(1) : "n/a"}x`, 10),
        lpad(f(r.warm.p50), 9),
        lpad(f(r.warm.p95), 9),
        lpad((r.bytes / 1024).toFixed(0), 6),
        `  ${pad(v.target, 20)} ${v.pass ? "PASS" : `MISS (${v.why})`}`,
      ].join(" "),
    );
  }
  console.log("");
  console.log("EXPLAIN (ANALYZE, BUFFERS) of each page statement (as listBookmarks sends it, values bound):");
  for (const r of results) console.log(`  ${pad(r.s.name, 14)} ${r.plan}`);
  const misses = results.filter((r) => !verdict(r).pass);
  for (const r of misses) {
    console.log("");
    console.log(`MISS ${r.s.name} (${r.s.what}): full plan`);
    console.log(r.planText.replace(/^/gm, "    "));
  }
  console.log("");
  console.log(
    `First open of the library (list, count, tags, categories in one batch; ${ITERATIONS} times): cold (cache invalidated) p50 ${f(firstOpen.cold.p50)} / p95 ${f(firstOpen.cold.p95)} ms; ` +
      `warm (after the worker's warm, ${firstOpen.warmHits} of ${ITERATIONS} warmed all 4 entries) p50 ${f(firstOpen.warm.p50)} / p95 ${f(firstOpen.warm.p95)} ms`,
  );
  console.log(
    `Answer compression of that open: ${(firstOpen.raw / 1024).toFixed(1)} KB as JSON; brotli (quality 4, as served) ${(firstOpen.br / 1024).toFixed(1)} KB (ratio ${(firstOpen.br / firstOpen.raw).toFixed(2)}); gzip ${(firstOpen.gz / 1024).toFixed(1)} KB (ratio ${(firstOpen.gz / firstOpen.raw).toFixed(2)})`,
  );
  console.log("");
  console.log(`Measured in ${benchSeconds.toFixed(0)} s; ${serverErrors} tRPC errors.`);
}

// Bounded: a hard stop, and everything this bench opened is closed on the way out.
const hardStop = setTimeout(() => {
  console.error("[bench] FAIL: still running after 20 minutes; stopping");
  process.exit(1);
}, 20 * 60_000);
hardStop.unref();
async function closeAll() {
  // Last opened, first closed.
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void closeAll().finally(() => process.exit(130));
  });
}

main().then(
  async () => {
    await closeAll();
    process.exit(0);
  },
  async (e: unknown) => {
    console.error(e);
    await closeAll();
    process.exit(1);
  },
);
