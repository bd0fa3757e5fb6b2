import { card, logInWithX, settled } from "./app";
import { expect, test } from "./fixtures";
import { createXAccount, sandbox } from "./sandbox";

test("X's bookmark folders show beside the library and filter it", async ({ page }) => {
  test.setTimeout(120_000);
  const account = await createXAccount(30);
  const { ids } = await sandbox<{ ids: string[] }>("GET", `/users/${account.id}/bookmarks`);
  await sandbox("POST", `/users/${account.id}/folders`, { name: "Read later", tweetIds: ids.slice(3, 6) });

  await logInWithX(page, account.username);
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });

  // The folders are read right after the bookmarks: reload until they are in.
  const folders = page.getByRole("navigation", { name: "Folders on X" });
  await expect(async () => {
    await page.reload();
    await expect(folders).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  const chip = folders.getByRole("button", { name: /Read later/ });
  await expect(chip).toContainText("3");

  await chip.click();
  await expect(chip).toHaveAttribute("aria-pressed", "true");
  await expect(page).toHaveURL(/folder=/);
  await settled(page);
  await expect(page.getByTestId("bookmark")).toHaveCount(3);
  for (const id of ids.slice(3, 6)) await expect(card(page, id)).toBeVisible();

  // Again: the whole library.
  await chip.click();
  await settled(page);
  await expect(page.getByTestId("result-count")).toContainText("30");

  // The search box knows folder:name too.
  await page.getByTestId("search-input").fill('folder:"read later"');
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === 'folder:"read later"');
  await expect(page.getByTestId("result-count")).toHaveText(/^3 results$/);
  await settled(page);
  await expect(page.getByTestId("bookmark")).toHaveCount(3);
});
