import { card, newSyncedAccount, settled } from "./app";
import { expect, test, type Page } from "./fixtures";
import { sandbox } from "./sandbox";

/**
 * Richer posts and the virtualised list, from a person's side: link and quote cards, a search for
 * a link title's words, and a library of 800 that keeps few cards in the page however far it is
 * scrolled, with keyboard, selection and scroll position intact.
 */

const loaded = (page: Page) => page.getByTestId("bookmark-list").getAttribute("data-loaded").then(Number);

/** Scrolls down a screen at a time until `found` is in the page, or the list has ended. */
async function scrollUntil(page: Page, found: () => Promise<boolean>) {
  for (let i = 0; i < 400; i++) {
    if (await found()) return;
    await page.mouse.wheel(0, 700);
    await page.waitForTimeout(60);
  }
  throw new Error("scrolled to the end without finding it");
}

test("link and quote cards render, and a search for a link title finds its bookmark", async ({ page }) => {
  test.setTimeout(150_000);
  await newSyncedAccount(page, 150);

  // A link card whose title is plain words (so it can be typed as a phrase).
  const titles = page.getByTestId("link-card-title");
  let title = "";
  let postId = "";
  await scrollUntil(page, async () => {
    for (const t of await titles.all()) {
      const text = ((await t.textContent()) ?? "").trim();
      if (/^[\p{L}\p{N} ]{6,}$/u.test(text)) {
        title = text;
        postId = (await t.locator("xpath=ancestor::article[1]").getAttribute("data-post-id"))!;
        return true;
      }
    }
    return false;
  });
  const link = card(page, postId).getByTestId("link-card").first();
  await expect(link).toHaveAttribute("href", /^https:\/\//);
  await expect(link.getByTestId("link-card-domain")).not.toBeEmpty();

  // A quoted post nested in its card, with its author and text.
  await page.evaluate(() => window.scrollTo(0, 0));
  const quoted = page.getByTestId("quoted-post").filter({ has: page.getByTestId("quoted-post-text") });
  await scrollUntil(page, async () => (await quoted.count()) > 0);
  await expect(quoted.first().getByTestId("quoted-post-text")).not.toBeEmpty();
  await expect(quoted.first().locator("a[href*='/status/']").first()).toHaveAttribute("href", /^https:\/\/x\.com\/\w+\/status\/\d+$/);

  // Search the title: the bookmark is found, the title's words marked on its link card.
  const query = title.includes(" ") ? `"${title}"` : title;
  const box = page.getByTestId("search-input");
  await box.fill(query);
  await expect(page.getByTestId("result-count")).toHaveText(/^[\d,]+ results?$/);
  await settled(page);
  await scrollUntil(page, async () => (await card(page, postId).count()) > 0);
  await expect(card(page, postId).getByTestId("link-card-title").locator("mark").first()).toBeVisible();
  // Every result shows the words somewhere on its card.
  for (const c of await page.getByTestId("bookmark").all()) await expect(c).toContainText(title.split(" ")[0]!);
});

test("800 bookmarks: scrolled to the end, the page holds a few cards; keyboard, shift-click and scroll position still work", async ({
  page,
}) => {
  test.setTimeout(240_000);
  const account = await newSyncedAccount(page, 800);
  const truth = (await sandbox<{ ids: string[] }>("GET", `/users/${account.id}/bookmarks`)).ids;
  const cards = page.getByTestId("bookmark");
  await expect(cards.first()).toHaveAttribute("data-post-id", truth[0]!);

  // Keyboard: j moves through more cards than the page holds at once.
  await cards.first().focus();
  for (let i = 0; i < 12; i++) await page.keyboard.press("j");
  await expect(page.locator("[data-testid=bookmark]:focus")).toHaveAttribute("data-post-id", truth[12]!);
  await page.keyboard.press("k");
  await expect(page.locator("[data-testid=bookmark]:focus")).toHaveAttribute("data-post-id", truth[11]!);

  // Shift-click selects the range between, cards scrolled out of the page included.
  await page.evaluate(() => window.scrollTo(0, 0));
  await card(page, truth[0]!).getByTestId("select-bookmark").click();
  await scrollUntil(page, async () => (await card(page, truth[20]!).count()) > 0);
  await card(page, truth[20]!)
    .getByTestId("select-bookmark")
    .click({ modifiers: ["Shift"] });
  await expect(page.getByTestId("selected-count")).toContainText("21");
  await page.keyboard.press("Escape");
  await expect(page.getByTestId("selected-count")).toHaveCount(0);

  // To the end: all 800 loaded, far fewer cards in the page.
  // Each page must come while the list is held at its end (not a fixed number of tries: a loaded
  // machine takes longer per page).
  for (let n = await loaded(page); n < 800; n = await loaded(page)) {
    await expect
      .poll(async () => (await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight)), loaded(page)), {
        intervals: [150],
        timeout: 20_000,
      })
      .toBeGreaterThan(n);
  }
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(page.getByText("That’s all 800 bookmarks.")).toBeVisible();
  expect(await loaded(page)).toBe(800);
  await expect(card(page, truth[799]!)).toBeVisible();
  const inPage = await cards.count();
  expect(inPage).toBeGreaterThan(0);
  expect(inPage).toBeLessThan(40);
  // Every picture has its size reserved before it loads (no layout shift), and loads lazily.
  const unsized = await page
    .locator("[data-testid=bookmark] img")
    .evaluateAll(
      (imgs) => imgs.filter((i) => !i.getAttribute("width") || !i.getAttribute("height") || i.getAttribute("loading") !== "lazy").length,
    );
  expect(unsized).toBe(0);

  // Scroll position: back to a point in the first pages, reload, and the list opens there.
  await page.evaluate(() => window.scrollTo(0, 2500));
  await page.waitForTimeout(300);
  const before = await page.evaluate(() => window.scrollY);
  const firstShown = await cards.evaluateAll((els) =>
    els.find((e) => e.getBoundingClientRect().bottom > 200)?.getAttribute("data-post-id"),
  );
  const inFlight = new Set<string>();
  page.on("request", (r) => void (r.url().includes("/api/trpc/") && inFlight.add(r.url().split("?")[0]!)));
  page.on("requestfinished", (r) => void inFlight.delete(r.url().split("?")[0]!));
  await page.reload();
  await expect(page.getByTestId("bookmark-list")).toHaveAttribute("data-loaded", "30");
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(before - 50);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - before)).toBeLessThan(50);
  await expect(card(page, firstShown!)).toBeVisible();
  // And the view settles there (its count is in, nothing left loading).
  await expect(page.getByTestId("result-count"), `still loading: ${[...inFlight].join(", ")}`).toHaveAttribute("aria-busy", "false", {
    timeout: 30_000,
  });

  // Further down than the first page reaches: after a reload the list loads pages until it can
  // go back there, and shows the same cards.
  await scrollUntil(page, async () => (await loaded(page)) >= 90);
  await page.evaluate(() => window.scrollTo(0, 20_000));
  await page.waitForTimeout(300);
  const deep = await page.evaluate(() => window.scrollY);
  const deepShown = await cards.evaluateAll((els) => els.find((e) => e.getBoundingClientRect().bottom > 200)?.getAttribute("data-post-id"));
  await page.reload();
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(deep - 50);
  expect(Math.abs((await page.evaluate(() => window.scrollY)) - deep)).toBeLessThan(50);
  await expect(card(page, deepShown!)).toBeVisible();
  expect(await loaded(page)).toBeGreaterThan(30);
});
