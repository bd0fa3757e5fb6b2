import { expect, type Browser, type Locator, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { createXAccount } from "./sandbox";

/** Page helpers shared by the specs. */
/**
 * Logs in through the sandbox's consent page as `username`, starting from `path` (a protected
 * page sends you to log in and back there), on `origin` (web A unless another web process).
 */
export async function logInWithX(page: Page, username: string, path = "/", origin = APP_URL) {
  await page.goto(`${origin}${path}`);
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Log in with X" }).click();
  await expect(page.getByRole("button", { name: "Authorize app" })).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`@${username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page).toHaveURL(`${origin}${path}`);
}

/** Waits until the library's count and list show the current view's answer (not the last view's). */
export async function settled(page: Page) {
  await expect(page.getByTestId("result-count")).toHaveAttribute("aria-busy", "false");
  await expect(page.getByTestId("bookmark-list").or(page.getByTestId("no-results"))).not.toHaveAttribute("data-stale", "true");
}

/** A bookmark's card by its post id. */
export const card = (page: Page, postId: string): Locator => page.locator(`[data-testid="bookmark"][data-post-id="${postId}"]`);

/** A browser context of its own (another device), logged in as `username`, on the library. */
export async function openTab(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInWithX(page, username);
  return { context, page };
}

/** The header's connection badge, when it reads `text`. */
export const badge = (page: Page, text: string | RegExp): Locator => page.getByRole("status").filter({ hasText: text });

/** A new sandbox X account with `bookmarks` bookmarks, logged in and synced: its library, settled. */
export async function newSyncedAccount(page: Page, bookmarks: number) {
  const account = await createXAccount(bookmarks);
  await logInWithX(page, account.username);
  // Hydrated and subscribed to sync progress before pressing Sync.
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(page);
  return account;
}
