import { readFile } from "node:fs/promises";
import { expect, test, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { card, newSyncedAccount, settled } from "./app";
import { sandbox } from "./sandbox";

const BOOKMARKS = 150;
// In the sandbox's Japanese tech, travel and news posts (sandbox/corpus.ts), never in an author's
// name: every post that matches has it in its own text or in a post it quotes.
const WORD = "プログラミング";
const TAG = "機械学習メモ";

/** Types a search and waits until the list and the count show its results (not the last view's). */
async function search(page: Page, text: string) {
  const box = page.getByTestId("search-input");
  await box.fill(text);
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === text);
  // "N results" (not "N bookmarks") appears once the search's own count is in.
  await expect(page.getByTestId("result-count")).toHaveText(/^[\d,]+ results?$/);
  await settled(page);
}

function countOf(text: string | null): number {
  return Number((text ?? "").replace(/[^\d]/g, ""));
}

test.afterEach(async () => {
  await sandbox("PUT", "/faults", {});
});

test("tag a bookmark, find it by #tag and by a Japanese word with the match marked, export the view as CSV", async ({ page }) => {
  test.setTimeout(150_000);
  await newSyncedAccount(page, BOOKMARKS);
  await expect(page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);

  // A Japanese word found inside longer text: some posts have it, not all.
  await search(page, WORD);
  const matches = countOf(await page.getByTestId("result-count").textContent());
  expect(matches).toBeGreaterThan(0);
  expect(matches).toBeLessThan(BOOKMARKS);
  await expect(page.getByTestId("result-count")).toHaveText(`${matches} ${matches === 1 ? "result" : "results"}`);

  // Tag the first of them through the card's tag field (a new tag: Enter creates it).
  const cards = page.getByTestId("bookmark");
  const postId = (await cards.first().getAttribute("data-post-id"))!;
  const target = card(page, postId);
  await target.getByTestId("tag-input").fill(TAG);
  await target.getByTestId("tag-input").press("Enter");
  const chip = target.getByTestId("tag-chip").filter({ hasText: `#${TAG}` });
  await expect(chip).toHaveAttribute("data-tag-id", /^\d+$/); // saved: the chip has the tag's id
  await expect(target.getByTestId("tag-input")).toHaveValue("");

  // Esc clears the search: the whole library again.
  await page.getByTestId("search-input").press("Escape");
  await expect(page).toHaveURL(`${APP_URL}/`);
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);

  // #tag finds exactly that bookmark.
  await search(page, `#${TAG}`);
  await expect(page.getByTestId("result-count")).toHaveText("1 result");
  await expect(cards).toHaveCount(1);
  await expect(cards.first()).toHaveAttribute("data-post-id", postId);

  await page.getByTestId("search-input").press("Escape");
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);

  // The Japanese word again: every result has it, marked.
  await search(page, WORD);
  await expect(page.getByTestId("result-count")).toHaveText(`${matches} ${matches === 1 ? "result" : "results"}`);
  // The list is virtualised: all of the first page is loaded, the cards near the window are in the page.
  await expect(page.getByTestId("bookmark-list")).toHaveAttribute("data-loaded", String(Math.min(matches, 30)));
  const shown = await cards.count();
  expect(shown).toBeGreaterThan(0);
  for (let i = 0; i < shown; i++) {
    // In the post's own text, or in what its card shows with it (a quoted post, a link preview).
    const shownText = cards.nth(i).locator("[data-testid=post-text], [data-testid=quoted-post-text], [data-testid=link-card]");
    await expect(shownText.filter({ hasText: WORD }).first()).toBeVisible();
    await expect(shownText.locator("mark").filter({ hasText: WORD }).first()).toBeVisible();
  }
  await expect(card(page, postId).getByTestId("tag-chip").filter({ hasText: TAG })).toBeVisible();

  // The view is in the URL: a reload shows the same search and results.
  await page.reload();
  await expect(page.getByTestId("search-input")).toHaveValue(WORD);
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText(`${matches} ${matches === 1 ? "result" : "results"}`);

  // Export what matches the current filter as CSV.
  await page.getByTestId("export-menu").click();
  await expect(page.getByText(/exports everything matching the current filter/i)).toBeVisible();
  const link = page.getByTestId("export-csv");
  await expect(link).toHaveAttribute("href", /^\/api\/export\?format=csv&filter=/);
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const csv = (await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, "");
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "");
  expect(lines[0]).toMatch(/,/); // a header line
  expect(lines[0]).not.toContain(postId);
  expect(lines.length).toBeGreaterThan(matches); // header + one row per match (a text may span lines)
  expect(csv).toContain(TAG);
  expect(csv).toContain(postId);
});
