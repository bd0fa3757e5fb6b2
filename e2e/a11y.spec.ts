import { execFile } from "node:child_process";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { createXAccount } from "./sandbox";

const run = promisify(execFile);

/**
 * Issue 16, point 5: axe on the main pages in both languages, zero serious or critical
 * violations of WCAG 2.x A/AA.
 */
async function expectAccessible(page: Page, what: string) {
  // The page at rest: a pointer left over a button would have axe check its hover colours.
  await page.mouse.move(0, 0);
  const result = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const bad = result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.html.slice(0, 160)} ${n.failureSummary ?? ""}`)
          .join(" | ")}`,
    );
  expect(bad, `axe on ${what}`).toEqual([]);
}

for (const [locale, logIn] of [
  ["en-US", "Log in with X"],
  ["ja-JP", "X でログイン"],
] as const) {
  test(`log-in, library, search, import and admin pages pass axe (${locale})`, async ({ browser }) => {
    test.setTimeout(180_000);
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    const account = await createXAccount(12);

    await page.goto("/login");
    await expectAccessible(page, "the log-in page");
    await page.getByRole("button", { name: logIn }).click();
    await page.getByRole("radio", { name: new RegExp(`@${account.username}`) }).check();
    await page.getByRole("button", { name: "Authorize app" }).click();
    await expect(page).toHaveURL(`${APP_URL}/`);
    await expect(page.getByTestId("empty-library")).toBeVisible();
    await expectAccessible(page, "the empty library");

    // The sync panel's button is converted after its split (see eslint.config.mjs).
    await page.getByRole("button", { name: /^(Sync|同期)$/ }).click();
    await expect(page.getByTestId("sync-summary")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("bookmark").first()).toBeVisible();
    await expectAccessible(page, "the library");

    await page.goto("/?q=the");
    await expect(page.getByTestId("bookmark-list").or(page.getByTestId("no-results"))).toBeVisible();
    await expectAccessible(page, "search results");

    await page.goto("/import");
    await expect(page.locator("#import-title")).toBeVisible();
    await expectAccessible(page, "the import page");

    await run("npm", ["run", "--silent", "admin:grant", "--", `@${account.username}`], { env: process.env });
    for (const path of ["/admin", "/admin/jobs", "/admin/users", "/admin/workers"]) {
      await page.goto(path);
      await expect(page.getByTestId("admin-nav")).toBeVisible();
      await expectAccessible(page, path);
    }
    await context.close();
  });
}
