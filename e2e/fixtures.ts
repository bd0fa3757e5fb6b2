import { test as base, expect, type BrowserContext, type ConsoleMessage, type Page } from "@playwright/test";

/**
 * Every spec imports `test` and `expect` from here instead of @playwright/test: each page of
 * every browser context a test opens is watched, and the test fails on any console error
 * (hydration warnings included: React reports them with console.error) or uncaught page error.
 *
 * A test that provokes errors on purpose (cutting the network, a server that is stopped) says
 * which with `allowConsoleErrors(/pattern/, "why")` — explicit and commented, nothing blanket.
 */

/** React's hydration complaints arrive as warnings in some builds: fail on those too. */
const HYDRATION = /hydrat|did not match|server rendered HTML|Text content does not match/i;

interface Watch {
  problems: string[];
  allowed: RegExp[];
}

function watchPage(page: Page, w: Watch) {
  page.on("console", (msg: ConsoleMessage) => {
    const type = msg.type();
    const text = msg.text();
    if (type !== "error" && !(type === "warning" && HYDRATION.test(text))) return;
    if (w.allowed.some((re) => re.test(text))) return;
    // The test machines are offline: posts may show pictures from X's CDN (pbs.twimg.com), which
    // cannot resolve here. A failed load from our own host (127.0.0.1) still fails the test.
    const from = msg.location().url;
    if (/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/.test(text) && from && !from.startsWith("http://127.0.0.1")) return;
    w.problems.push(`console.${type} on ${page.url()}: ${text}${from ? ` (${from})` : ""}`);
  });
  page.on("pageerror", (err) => {
    const text = `${err.name}: ${err.message}`;
    if (w.allowed.some((re) => re.test(text))) return;
    w.problems.push(`uncaught error on ${page.url()}: ${text}`);
  });
}

const watched = new WeakSet<BrowserContext>();
function watchContext(context: BrowserContext, w: Watch) {
  if (watched.has(context)) return;
  watched.add(context);
  for (const p of context.pages()) watchPage(p, w);
  context.on("page", (p) => watchPage(p, w));
}

export const test = base.extend<{
  /** Lets errors matching `pattern` through for this test; `why` documents the reason. */
  allowConsoleErrors: (pattern: RegExp, why: string) => void;
  consoleWatch: Watch;
}>({
  consoleWatch: [
    async ({ browser }, provide) => {
      const w: Watch = { problems: [], allowed: [] };
      // Contexts the test creates itself (second devices) are watched as well.
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args: Parameters<typeof browser.newContext>) => {
        const c = await newContext(...args);
        watchContext(c, w);
        return c;
      };
      await provide(w);
      browser.newContext = newContext;
      expect(w.problems, "console errors, hydration warnings or uncaught page errors").toEqual([]);
    },
    { auto: true },
  ],
  context: async ({ context, consoleWatch }, provide) => {
    watchContext(context, consoleWatch);
    await provide(context);
  },
  allowConsoleErrors: async ({ consoleWatch }, provide) => {
    await provide((pattern) => consoleWatch.allowed.push(pattern));
  },
});

export { expect };
export type { Page, Locator, Browser, BrowserContext, Response } from "@playwright/test";
