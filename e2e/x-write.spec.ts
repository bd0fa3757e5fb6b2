import { card, newSyncedAccount, settled } from "./app";
import { expect, test } from "./fixtures";
import { sandbox } from "./sandbox";

const onX = async (xId: string) => (await sandbox<{ ids: string[] }>("GET", `/users/${xId}/bookmarks`)).ids;

test("removing a bookmark on X asks for the permission, then for confirmation; the bookmark stays here", async ({ page }) => {
  test.setTimeout(180_000);
  const account = await newSyncedAccount(page, 8);
  const [target] = await onX(account.id);

  const select = () => card(page, target!).getByTestId("select-bookmark").check();
  await select();
  await page.getByTestId("bulk-remove-on-x").click();

  // Logged in without bookmark.write: nothing is sent; the person is asked to log in again.
  const grant = page.getByTestId("grant-write");
  await expect(grant).toContainText("Log in with X again and allow it");
  await grant.getByRole("button", { name: "Log in with X again" }).click();
  await expect(page.getByRole("button", { name: "Authorize app" })).toBeVisible();
  await expect(page.getByText("Add and remove bookmarks for you")).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`@${account.username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page.getByTestId("bookmark").first()).toBeVisible();
  await settled(page);
  expect(await onX(account.id)).toContain(target);

  // Now allowed: the confirmation says what happens; Cancel changes nothing.
  await select();
  await page.getByTestId("bulk-remove-on-x").click();
  const dialog = page.getByTestId("confirm-x-write");
  await expect(dialog).toContainText("Remove 1 bookmark on X?");
  await expect(dialog).toContainText("stays here in your library");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(await onX(account.id)).toContain(target);

  await page.getByTestId("bulk-remove-on-x").click();
  await page.getByTestId("confirm-x-write").getByTestId("confirm-button").click();
  await expect(page.getByTestId("confirm-x-write")).toBeHidden();
  await expect.poll(() => onX(account.id), { timeout: 30_000 }).not.toContain(target);
  // Still in the library, marked as removed on X.
  await expect(card(page, target!).getByTestId("removed-on-x")).toBeVisible({ timeout: 30_000 });
});
