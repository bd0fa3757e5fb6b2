import { newSyncedAccount } from "./app";
import { expect, test } from "./fixtures";
import { sandbox } from "./sandbox";

const onX = async (xId: string) => (await sandbox<{ ids: string[] }>("GET", `/users/${xId}/bookmarks`)).ids;

test("the drain explains itself, needs the permission and a confirmation, counts as it runs, and undoes", async ({ page }) => {
  test.setTimeout(240_000);
  const account = await newSyncedAccount(page, 6);
  const before = await onX(account.id);
  await page.goto("/import");
  const panel = page.getByTestId("drain-panel");
  await expect(panel).toContainText("keeps everything here, then removes the oldest 50 from X");
  await expect(panel.getByTestId("drain-preview")).toContainText("6 bookmarks here, 6 of them still bookmarked on X");

  // Logged in without bookmark.write: the panel asks for it first.
  await panel.getByRole("button", { name: /Log in with X again/ }).click();
  await page.getByRole("radio", { name: new RegExp(`@${account.username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByTestId("drain-panel")).toBeVisible();

  const start = panel.getByRole("button", { name: "Start drain" });
  await expect(start).toBeDisabled();
  await panel.getByTestId("drain-agree").check();
  await start.click();
  await expect(panel.getByTestId("drain-status")).toContainText("Drain done", { timeout: 120_000 });
  await expect(panel.getByTestId("drain-status")).toContainText("6 bookmarks removed on X");
  expect(await onX(account.id)).toEqual([]);
  await page.screenshot({ path: "test-results/drain-panel.png", fullPage: true });

  await panel.getByRole("button", { name: /Undo: bookmark 6 on X again/ }).click();
  await page.getByTestId("confirm-button").click();
  await expect.poll(async () => new Set(await onX(account.id)), { timeout: 60_000 }).toEqual(new Set(before));
});
