import { expect, test, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { createXAccount } from "./sandbox";

/**
 * Issue 16: the interface speaks the reader's language without a locale in the URL. A Japanese
 * browser gets Japanese from its Accept-Language alone; a choice made with the header's switcher
 * is stored on the user and follows them to another device.
 */

/** Logs in through the sandbox's consent page (English: it stands in for X) from a Japanese log-in page. */
async function logInInJapanese(page: Page, username: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator("html")).toHaveAttribute("lang", "ja");
  await page.getByRole("button", { name: "X でログイン" }).click();
  await page.getByRole("radio", { name: new RegExp(`@${username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page).toHaveURL(`${APP_URL}/`);
}

test("a Japanese browser sees Japanese; switching to English persists across a reload and on another device", async ({ browser }) => {
  test.setTimeout(150_000);
  const account = await createXAccount(5);
  const ja = { locale: "ja-JP", timezoneId: "Asia/Tokyo" };
  const context = await browser.newContext(ja);
  const page = await context.newPage();
  await logInInJapanese(page, account.username);

  await expect(page.getByRole("link", { name: "ライブラリ" })).toBeVisible();
  await expect(page.getByTestId("empty-library")).toContainText("同期");
  await expect(page.getByRole("status").filter({ hasText: "ライブ" })).toBeVisible();
  // The sync panel is converted after its split (issue 16 notes): its button may still say "Sync".
  await page.getByRole("button", { name: /^(同期|Sync)$/ }).click();
  await expect(page.getByTestId("bookmark").first()).toBeVisible({ timeout: 60_000 });
  // Dates in Japanese, in the reader's time zone (the page re-renders once the zone is known).
  await expect(page.getByTestId("bookmark").first().locator("time").first()).toHaveText(/^\d{4}年\d{1,2}月\d{1,2}日$/);
  await expect(page.getByTestId("result-count")).toHaveText("5 件のブックマーク");

  // Switch to English: the page re-renders in it, and a reload keeps it.
  await page.getByTestId("locale-switcher").selectOption("en");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("link", { name: "Library" })).toBeVisible();
  await expect(page.getByTestId("result-count")).toHaveText("5 bookmarks");
  await expect(page.getByTestId("bookmark").first().locator("time").first()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}$/);

  // Another device, Japanese too: logged in, the stored choice wins over its Accept-Language.
  const other = await browser.newContext(ja);
  const second = await other.newPage();
  await logInInJapanese(second, account.username);
  await expect(second.locator("html")).toHaveAttribute("lang", "en");
  await expect(second.getByRole("link", { name: "Library" })).toBeVisible();
  await other.close();
  await context.close();
});

test("an English browser gets English, and the log-in page's switcher works before log-in", async ({ page }) => {
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("button", { name: "Log in with X" })).toBeVisible();
  await page.getByTestId("locale-switcher").selectOption("ja");
  await expect(page.getByRole("button", { name: "X でログイン" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("button", { name: "X でログイン" })).toBeVisible();
  await expect(page).toHaveTitle(/ログイン/);
});
