import { expect, test } from "./fixtures";
import { SANDBOX_URL } from "../playwright.config";
import { logInWithX, settled } from "./app";
import { createXAccount } from "./sandbox";

test("import X's archive: preview, confirm, watch progress, see every bookmark", async ({ page, allowConsoleErrors }) => {
  test.setTimeout(180_000);
  // A file that is not a zip is uploaded on purpose: the browser logs the 400 answer.
  allowConsoleErrors(/status of 400 \(Bad Request\)/, "a broken upload is refused on purpose");
  const BOOKMARKS = 1200;
  const account = await createXAccount(BOOKMARKS);
  await logInWithX(page, account.username);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText("800 bookmarks");

  // The header leads to the Import page.
  await page.getByRole("link", { name: "Import" }).click();
  await expect(page).toHaveURL(/\/import$/);
  await expect(page.getByRole("heading", { name: "Import bookmarks" })).toBeVisible();

  // A file that is not an archive gets a clear message.
  await page.getByLabel("Import file").setInputFiles({ name: "notes.zip", mimeType: "application/zip", buffer: Buffer.from("hello") });
  // (Next adds an empty route-announcer alert outside main.)
  await expect(page.getByRole("main").getByRole("alert")).toHaveText("notes.zip is not a zip file.");

  const archive = Buffer.from(await (await fetch(`${SANDBOX_URL}/_sandbox/users/${account.id}/archive`)).arrayBuffer());
  await page.getByLabel("Import file").setInputFiles({ name: "twitter-archive.zip", mimeType: "application/zip", buffer: archive });
  await expect(page.getByTestId("import-preview")).toHaveText(
    /^1,200 bookmarks: 800 already here, 400 new; \d+ posts? to fetch from X, about \d+ API calls?, estimated \$[\d.]+ \(reads already billed today are free\)|1,200 bookmarks: 800 already here, 400 new; no API calls needed$/,
  );
  await page.getByRole("button", { name: "Confirm import" }).click();

  // The progress bar moves live to the end.
  const bar = page.getByRole("progressbar", { name: "Import progress" });
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 90_000 });
  await expect(page.getByTestId("import-counts")).toContainText("1,200 of 1,200 read");
  await expect(page.getByTestId("import-counts")).toContainText("400 saved · 800 already here");
  await expect(page.getByTestId("import-progress")).toContainText("Imported 400 new bookmarks");

  // Leave and come back: the finished import is still shown; the library holds them all.
  await page.getByRole("link", { name: "Library" }).click();
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText("1,200 bookmarks");
  await page.getByRole("link", { name: "Import" }).click();
  await expect(page.getByTestId("import-counts")).toContainText("400 saved");
});
