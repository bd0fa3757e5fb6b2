import { expect, test } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { badge, logInWithX } from "./app";
import { createXAccount } from "./sandbox";

/**
 * Issue 12, point 2: a session ends everywhere. Logging out in one tab closes the live socket of
 * another tab of the same browser (the server closes it with 4401), which then goes to the log-in
 * page by itself, without anyone touching it.
 */
test("logging out in one tab sends the other tab, idle on its live library, to the log-in page", async ({ browser }) => {
  const account = await createXAccount(3);
  const context = await browser.newContext();
  const first = await context.newPage();
  await logInWithX(first, account.username);
  await expect(badge(first, "Live")).toBeVisible();

  const second = await context.newPage();
  await second.goto("/");
  await second.getByRole("button", { name: "Log out" }).click();
  await expect(second).toHaveURL(/\/login/);

  // The first tab was not touched: the server ended its socket, and it went to log in again.
  await expect(first).toHaveURL(`${APP_URL}/login?callbackUrl=%2F`, { timeout: 5_000 });
  await expect(first.getByRole("button", { name: "Log in with X" })).toBeVisible();
  await context.close();
});
