/**
 * `npm run bench:list`: the library list in a real browser at 100,000 bookmarks (issue 13,
 * part 5). Builds the app for production (the npm script runs `npm run build` first), seeds one
 * user's 100,000 bookmarks directly in Postgres (bench/read-seed.ts, heavy user only), starts
 * the production web server (dist/web.mjs) logged in through a database session, and opens the
 * library in Chromium (Playwright, /usr/bin/chromium or CHROMIUM_PATH):
 *
 * - time to first card: navigation start → the first bookmark card in the page (in-page
 *   MutationObserver, performance.now()), cold (first load) and warm (a reload), median of
 *   `--loads` loads after the first;
 * - then scrolls until `--cards` (5,000) bookmarks are loaded, a screen at a time with the
 *   wheel, and reports the page's DOM node count, the card nodes in the page, the JS heap
 *   (after a forced GC, from the DevTools protocol) and the scroll's time per loaded page.
 *
 * Targets (printed, never asserted): first card < 1,000 ms, < 2,000 DOM nodes and < 150 MB JS
 * heap after 5,000 cards. The baseline is the list before virtualisation, as issue 13 measured
 * it: 800 cards → 26,700 DOM nodes, ~300 MB heap.
 *
 *   npm run bench:list [-- --cards 5000 --loads 5 --reuse --port 5600]
 *
 * --reuse keeps the seeded xb_bench_list database when it is complete. Own Redis database 8.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium, type Page } from "@playwright/test";
import pg from "pg";
import { CHROMIUM_ARGS } from "../playwright.config";
import { benchServices, intOption } from "./bench-env";
import { runBench, startBenchWeb, stopProcess } from "./bench-process";
import { HEAVY_USER, SEED, seedReadBench } from "./read-seed";
import { dropDatabase, prisma, ROOT } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    cards: { type: "string", default: "5000" },
    loads: { type: "string", default: "5" },
    port: { type: "string", default: "5600" },
    reuse: { type: "boolean", default: false },
  },
});
const CARDS = intOption("cards", opt.cards, 30, SEED.heavyBookmarks);
const LOADS = intOption("loads", opt.loads, 1, 50);
const PORT = intOption("port", opt.port, 1024, 65535);
const DB_NAME = "xb_bench_list";
const TARGET = { firstCardMs: 1000, domNodes: 2000, heapMb: 150 };
const BASELINE = { cards: 800, domNodes: 26_700, heapMb: 300 };

const log = (m: string) => console.log(`[bench] ${m}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const verdict = (ok: boolean) => (ok ? "ok" : "MISS");

async function seeded(dbUrl: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: dbUrl, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const { rows } = await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Bookmark" WHERE "userId" = $1`, [HEAVY_USER]);
    return rows[0]?.n === SEED.heavyBookmarks;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

/** Records, from navigation start, when the first bookmark card enters the page. */
const FIRST_CARD_PROBE = `(() => {
  const seen = () => document.querySelector('[data-testid="bookmark"]');
  const mark = () => { if (!window.__firstCard && seen()) window.__firstCard = performance.now(); };
  new MutationObserver(mark).observe(document, { childList: true, subtree: true });
})();`;

async function firstCardMs(page: Page, load: () => Promise<unknown>): Promise<number> {
  await load();
  await page.waitForSelector('[data-testid="bookmark"]', { timeout: 30_000 });
  return page.evaluate(() => (window as unknown as { __firstCard: number }).__firstCard);
}

async function main(): Promise<void> {
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const { dbUrl, env, stop } = await benchServices({ log, dbName: DB_NAME, redisDb: 8, prefix: "benchlist" });
    closers.push(stop);

    if (opt.reuse && (await seeded(dbUrl))) log(`reused the seeded ${DB_NAME} (--reuse)`);
    else {
      log(
        `seeding ${DB_NAME}: ${SEED.heavyBookmarks.toLocaleString("en")} bookmarks for one user, ${SEED.posts.toLocaleString("en")} posts…`,
      );
      await dropDatabase(dbUrl);
      prisma(["migrate", "deploy"], env);
      const s = await seedReadBench(dbUrl, log, { onlyHeavyUser: true });
      log(`seeded in ${s.seconds} s`);
    }

    // A database session for the heavy user, as after logging in with X.
    const token = randomUUID();
    const client = new pg.Client({ connectionString: dbUrl });
    await client.connect();
    await client.query(`INSERT INTO "Session" (id, "sessionToken", "userId", expires) VALUES ($1, $2, $3, now() + interval '1 hour')`, [
      `bench-list-${token}`,
      token,
      HEAVY_USER,
    ]);
    await client.end();

    // The production web server, as `npm run start:web` runs it (migrations already applied).
    const { url: appUrl, web } = await startBenchWeb(env, PORT);
    closers.unshift(() => stopProcess(web, 5_000));

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    closers.unshift(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addCookies([{ name: "next-auth.session-token", value: token, url: appUrl, httpOnly: true, sameSite: "Lax" }]);
    await context.addInitScript(FIRST_CARD_PROBE);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);

    // --- time to first card ---
    const cold = await firstCardMs(page, () => page.goto(appUrl));
    const warm: number[] = [];
    for (let i = 0; i < LOADS; i++) warm.push(await firstCardMs(page, () => page.reload()));
    const total = await page.getByTestId("result-count").textContent();

    // --- scroll through CARDS bookmarks ---
    const loaded = () => page.getByTestId("bookmark-list").getAttribute("data-loaded").then(Number);
    const scrollStart = performance.now();
    let lastLog = 0;
    while ((await loaded()) < CARDS) {
      await page.mouse.wheel(0, 4000);
      await page.waitForTimeout(16);
      const n = await loaded();
      if (n - lastLog >= 1000) {
        lastLog = n - (n % 1000);
        log(`  scrolled: ${n.toLocaleString("en")} bookmarks loaded`);
      }
      if (performance.now() - scrollStart > 15 * 60_000) throw new Error(`only ${n} bookmarks loaded after 15 minutes of scrolling`);
    }
    const scrollSeconds = (performance.now() - scrollStart) / 1000;
    const loadedCards = await loaded();
    await page.waitForTimeout(500);
    const dom = await page.evaluate(() => ({
      nodes: document.getElementsByTagName("*").length,
      cards: document.querySelectorAll('[data-testid="bookmark"]').length,
      images: document.images.length,
    }));
    await cdp.send("HeapProfiler.collectGarbage");
    await cdp.send("Performance.enable");
    const { metrics } = await cdp.send("Performance.getMetrics");
    const heapMb = (metrics.find((m) => m.name === "JSHeapUsedSize")?.value ?? 0) / 1024 / 1024;

    log("");
    // Other work on the machine slows the browser, the server and Postgres alike: say how busy it was.
    log(
      `machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (1, 5, 15 min)`,
    );
    log(`library: ${total?.trim()} (one user; ${SEED.posts.toLocaleString("en")} posts in the database)`);
    log(`first card, cold load: ${cold.toFixed(0)} ms (target < ${TARGET.firstCardMs} ms: ${verdict(cold < TARGET.firstCardMs)})`);
    log(
      `first card, reload: median ${median(warm).toFixed(0)} ms of ${LOADS} (min ${Math.min(...warm).toFixed(0)}, max ${Math.max(...warm).toFixed(0)}) (${verdict(median(warm) < TARGET.firstCardMs)})`,
    );
    log(
      `scrolled through ${loadedCards.toLocaleString("en")} bookmarks in ${scrollSeconds.toFixed(1)} s (${((scrollSeconds * 1000) / (loadedCards / 30)).toFixed(0)} ms per page of 30, fetch and render)`,
    );
    log(
      `DOM after ${loadedCards.toLocaleString("en")}: ${dom.nodes.toLocaleString("en")} nodes (target < ${TARGET.domNodes.toLocaleString("en")}: ${verdict(dom.nodes < TARGET.domNodes)}), ${dom.cards} card nodes, ${dom.images} images`,
    );
    log(`JS heap after GC: ${heapMb.toFixed(1)} MB (target < ${TARGET.heapMb} MB: ${verdict(heapMb < TARGET.heapMb)})`);
    log(
      `vs. before virtualisation (issue 13: ${BASELINE.cards} cards → ${BASELINE.domNodes.toLocaleString("en")} nodes, ~${BASELINE.heapMb} MB): ` +
        `${(dom.nodes / BASELINE.domNodes).toFixed(3)}× the nodes and ${(heapMb / BASELINE.heapMb).toFixed(2)}× the heap, with ${(loadedCards / BASELINE.cards).toFixed(1)}× the bookmarks loaded`,
    );
  } finally {
    for (const close of closers) await close().catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
  }
}

runBench(() => main().then(() => 0), 15 * 60_000);
