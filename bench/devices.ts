/**
 * `npm run bench:devices`: how long an edit takes to reach the user's other device (issue 17).
 * Builds the app for production (the npm script runs `npm run build` first), seeds one user's
 * small library directly in Postgres, starts the production web server (dist/web.mjs) logged in
 * through a database session, and opens the library in two browser contexts of one Chromium
 * (Playwright, /usr/bin/chromium or CHROMIUM_PATH): two devices, each with its own socket.
 *
 * Each round stars (or unstars) a card in device A and measures, in wall-clock time taken in the
 * pages (`performance.timeOrigin + performance.now()`, one machine), from A's click event to the
 * moment device B's card shows the new state in its DOM (a MutationObserver). Rounds run one
 * after another, each once B shows the last. Prints p50/p95/max; target p95 < 150 ms.
 *
 *   npm run bench:devices [-- --stars 40 --port 5610]
 *
 * Own database xb_bench_devices and Redis database 10.
 */
import { randomUUID } from "node:crypto";
import { availableParallelism, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { chromium, type Browser, type Page } from "@playwright/test";
import { Redis } from "ioredis";
import pg from "pg";
import { CHROMIUM_ARGS } from "../playwright.config";
import { benchServices, intOption } from "./bench-env";
import { runBench, startBenchWeb, stopProcess } from "./bench-process";
import { dropDatabase, prisma, ROOT } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    stars: { type: "string", default: "40" },
    bookmarks: { type: "string", default: "30" },
    port: { type: "string", default: "5610" },
  },
});
const STARS = intOption("stars", opt.stars, 1, 10_000);
const BOOKMARKS = intOption("bookmarks", opt.bookmarks, 6, 5_000);
const PORT = intOption("port", opt.port, 1024, 65535);
const DB_NAME = "xb_bench_devices";
const USER = "cbenchdevices00000000000";
/** Cards toggled in turn: the first few, all on screen without scrolling. */
const CARDS = 6;
const TARGET_P95_MS = 150;
/** A round whose change B has not shown after this long is counted as lost. */
const LOST_MS = 10_000;

const log = (m: string) => console.log(`[bench] ${m}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** One user, one author, BOOKMARKS posts and bookmarks, newest first. */
async function seed(dbUrl: string): Promise<string> {
  const c = new pg.Client({ connectionString: dbUrl });
  await c.connect();
  try {
    await c.query(`INSERT INTO "User" (id, name, handle, "updatedAt") VALUES ($1, 'Devices bench', 'devices_bench', now())`, [USER]);
    await c.query(`INSERT INTO "XAuthor" (id, username, name, raw) VALUES ('3000000', 'bench_author', 'Bench Author', '{}')`);
    await c.query(
      `INSERT INTO "Post" (id, "authorId", text, "postedAt", lang, raw)
       SELECT (4000000 + g)::text, '3000000', 'Bench post number ' || g, now() - make_interval(mins => g), 'en', '{}'
       FROM generate_series(0, $1::int - 1) g`,
      [BOOKMARKS],
    );
    await c.query(
      `INSERT INTO "Bookmark" ("userId", "postId", "sortKey", "postText", "postedAt", lang, "authorId", "authorName", "authorUsername")
       SELECT $1, p.id, 1000000000 - (p.id::bigint - 4000000), p.text, p."postedAt", 'en', '3000000', 'Bench Author', 'bench_author'
       FROM "Post" p`,
      [USER],
    );
    // A database session, as after logging in with X.
    const token = randomUUID();
    await c.query(`INSERT INTO "Session" (id, "sessionToken", "userId", expires) VALUES ($1, $2, $3, now() + interval '1 hour')`, [
      `bench-devices-${token}`,
      token,
      USER,
    ]);
    return token;
  } finally {
    await c.end();
  }
}

/** A device: its own browser context (cookies, socket, query cache), on the library, live. */
async function openDevice(browser: Browser, appUrl: string, token: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: "next-auth.session-token", value: token, url: appUrl, httpOnly: true, sameSite: "Lax" }]);
  const page = await context.newPage();
  await page.goto(appUrl);
  await page
    .locator('[data-testid="bookmark"]')
    .nth(CARDS - 1)
    .waitFor({ timeout: 60_000 });
  await page.getByRole("status").filter({ hasText: "Live" }).waitFor({ timeout: 60_000 });
  // The click's time, taken as the event is dispatched (before React handles it).
  await page.evaluate(() => {
    document.addEventListener(
      "click",
      () => ((window as unknown as { __clickAt: number }).__clickAt = performance.timeOrigin + performance.now()),
      true,
    );
  });
  return page;
}

/**
 * Arms (in the page) `window.__seen`: resolves with the wall-clock time at which the card's star
 * reads `pressed`. A string, not a function: tsx's name helpers do not exist in the page.
 */
function armWatch(page: Page, postId: string, pressed: boolean) {
  const sel = JSON.stringify(`[data-testid="bookmark"][data-post-id="${postId}"] [data-testid="favorite-toggle"]`);
  return page.evaluate(`(() => {
    window.__seen = new Promise((resolve) => {
      // Already showing it (a save A reported as failed may still have been made): not measurable.
      if (document.querySelector(${sel})?.getAttribute("aria-pressed") === "${pressed}") return resolve(-1);
      const obs = new MutationObserver(() => {
        if (document.querySelector(${sel})?.getAttribute("aria-pressed") !== "${pressed}") return;
        obs.disconnect();
        resolve(performance.timeOrigin + performance.now());
      });
      obs.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-pressed"] });
    });
  })()`);
}

async function main(): Promise<void> {
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const { dbUrl, redisUrl, env, stop } = await benchServices({ log, dbName: DB_NAME, redisDb: 10, prefix: "benchdevices" });
    closers.push(stop);
    // The database is made afresh: so is the Redis database (the library cache of an earlier run's
    // same user would answer with its pages, and versions newer than the new rows').
    const redis = new Redis(redisUrl.toString(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    await redis.flushdb();
    redis.disconnect();
    await dropDatabase(dbUrl);
    prisma(["migrate", "deploy"], env);
    const token = await seed(dbUrl);
    log(`seeded ${BOOKMARKS} bookmarks for one user`);

    // The production web server, as `npm run start:web` runs it (migrations already applied).
    const { url: appUrl, web } = await startBenchWeb(env, PORT);
    closers.unshift(() => stopProcess(web, 5_000));

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    closers.unshift(() => browser.close());
    const a = await openDevice(browser, appUrl, token);
    const b = await openDevice(browser, appUrl, token);
    const ids = await a.getByTestId("bookmark").evaluateAll((els, n) => els.slice(0, n).map((e) => e.getAttribute("data-post-id")!), CARDS);

    const times: number[] = [];
    const lost: string[] = [];
    /** Click → A's save answered (the server's write and publish, and the HTTP round trip). */
    const saves: number[] = [];
    for (let i = 0; i < STARS; i++) {
      const postId = ids[i % ids.length]!;
      const toggle = (p: Page) => p.locator(`[data-testid="bookmark"][data-post-id="${postId}"] [data-testid="favorite-toggle"]`);
      const pressed = (await toggle(a).getAttribute("aria-pressed")) !== "true";
      await armWatch(b, postId, pressed);
      await toggle(a).click();
      const seenAt = await Promise.race([
        b.evaluate(() => (window as unknown as { __seen: Promise<number> }).__seen),
        sleep(LOST_MS).then(() => null),
      ]);
      if (seenAt === -1) {
        lost.push(`round ${i + 1}: B already showed it before the click (an earlier save failed in A but was made)`);
        continue;
      }
      if (seenAt === null) {
        // On a machine this busy a save can fail (Redis answering after its 500 ms budget): A
        // undoes it and says so. Counted, not timed; the next round reads the state again.
        lost.push(`round ${i + 1}: B did not show it within ${LOST_MS} ms (A shows ${await toggle(a).getAttribute("aria-pressed")})`);
        continue;
      }
      const clickAt = await a.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
      times.push(seenAt - clickAt);
      const answeredAt = (await a.evaluate(`(() => {
        const e = performance.getEntriesByType("resource").filter((r) => r.name.includes("bookmarks.update")).at(-1);
        return e ? performance.timeOrigin + e.responseStart : null;
      })()`)) as number | null;
      if (answeredAt !== null) saves.push(answeredAt - clickAt);
      // The edit settled in A too (saved, no longer faded) before the next one.
      await a.waitForFunction(
        ({ postId, pressed }) => {
          const t = document.querySelector(`[data-testid="bookmark"][data-post-id="${postId}"] [data-testid="favorite-toggle"]`);
          return t?.getAttribute("aria-pressed") === String(pressed) && !t.className.includes("opacity-60");
        },
        { postId, pressed },
      );
      await sleep(50);
    }

    log("");
    log(
      `machine: ${availableParallelism()} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} (1, 5, 15 min)`,
    );
    const p50 = percentile(times, 50);
    const p95 = percentile(times, 95);
    if (times.length === 0) throw new Error("no round reached device B");
    log(`click in device A → device B's card shows it, ${times.length} stars:`);
    log(
      `  p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, min ${Math.min(...times).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms`,
    );
    log(`  target p95 < ${TARGET_P95_MS} ms: ${p95 < TARGET_P95_MS ? "ok" : "MISS"}`);
    if (lost.length > 0) log(`${lost.length} of ${STARS} rounds lost:\n  ${lost.join("\n  ")}`);
    if (saves.length > 0) {
      log(`of which the save itself (click → A's answer starts; the server publishes just before it answers):`);
      log(`  p50 ${percentile(saves, 50).toFixed(0)} ms, p95 ${percentile(saves, 95).toFixed(0)} ms`);
    }
  } finally {
    for (const close of closers) await close().catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
  }
}

runBench(() => main().then(() => 0), 10 * 60_000);
