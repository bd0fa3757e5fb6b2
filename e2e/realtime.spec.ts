import { expect, test, type Browser, type Locator } from "@playwright/test";
import { card, logInWithX, settled } from "./app";
import { createXAccount } from "./sandbox";

const BOOKMARKS = 12;

async function openTab(browser: Browser, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInWithX(page, username);
  return { context, page };
}

/** Opens the card's note editor (add or edit) and returns its field. */
async function openNote(c: Locator) {
  const add = c.getByTestId("add-note");
  if (await add.isVisible()) await add.click();
  else await c.getByTestId("note").getByRole("button", { name: "Edit" }).click();
  return c.getByTestId("note-input");
}

test("two tabs of one user: edits show in both, non-clashing edits merge, a clash asks", async ({ browser }) => {
  test.setTimeout(150_000);
  const account = await createXAccount(BOOKMARKS);

  const a = await openTab(browser, account.username);
  await expect(a.page.getByTestId("empty-library")).toBeVisible();
  await expect(a.page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await a.page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(a.page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(a.page);
  await expect(a.page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);

  const b = await openTab(browser, account.username);
  await settled(b.page);
  await expect(b.page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);
  await expect(b.page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();

  const ids = await a.page.getByTestId("bookmark").evaluateAll((els) => els.slice(0, 4).map((e) => e.getAttribute("data-post-id")!));
  const [first, second, third, fourth] = ids as [string, string, string, string];

  // (a) A stars a bookmark and tags it: B shows both without a reload.
  await card(a.page, first).getByTestId("favorite-toggle").click();
  await expect(card(a.page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  await card(a.page, first).getByTestId("tag-input").fill("realtime");
  await card(a.page, first).getByTestId("tag-input").press("Enter");
  await expect(card(a.page, first).getByTestId("tag-chip").filter({ hasText: "#realtime" })).toHaveAttribute("data-tag-id", /^\d+$/);
  await expect(card(b.page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  await expect(card(b.page, first).getByTestId("tag-chip").filter({ hasText: "#realtime" })).toBeVisible();

  // (b) A changes the note while B, at once, stars the same bookmark: both land, in both tabs.
  const noteA = await openNote(card(a.page, second));
  await noteA.fill("Note from tab A");
  await noteA.press("Control+Enter");
  await card(b.page, second).getByTestId("favorite-toggle").click();
  for (const page of [a.page, b.page]) {
    await expect(card(page, second).getByTestId("note")).toContainText("Note from tab A");
    await expect(card(page, second).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  }
  await expect(a.page.getByTestId("conflict-dialog")).toHaveCount(0);
  await expect(b.page.getByTestId("conflict-dialog")).toHaveCount(0);

  // (c) A true clash: B starts editing the note, A saves a different note meanwhile, then B saves.
  const noteB = await openNote(card(b.page, third));
  await noteB.fill("Mine, from tab B");
  const noteA2 = await openNote(card(a.page, third));
  await noteA2.fill("Theirs, from tab A");
  await noteA2.press("Control+Enter");
  await expect(card(a.page, third).getByTestId("note")).toContainText("Theirs, from tab A");
  await expect(card(a.page, third).getByTestId("note")).not.toHaveClass(/opacity-70/);
  await noteB.press("Control+Enter");

  const dialog = b.page.getByRole("dialog", { name: "Changed elsewhere" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId("conflict-mine")).toContainText("Mine, from tab B");
  await expect(dialog.getByTestId("conflict-theirs")).toContainText("Theirs, from tab A");
  await expect(dialog.getByRole("button", { name: "Edit a merge" })).toBeVisible();
  // Until B chooses, B shows what is saved (theirs).
  await dialog.getByRole("button", { name: "Keep mine" }).click();
  await expect(dialog).toBeHidden();
  for (const page of [b.page, a.page]) {
    await expect(card(page, third).getByTestId("note")).toContainText("Mine, from tab B");
  }

  // (d) A refused edit shows at once, then is undone with a message.
  await b.page.route("**/api/trpc/bookmarks.update**", (route) => route.abort());
  const star = card(b.page, fourth).getByTestId("favorite-toggle");
  await expect(star).toHaveAttribute("aria-pressed", "false");
  await star.click();
  await expect(b.page.getByTestId("toast").filter({ hasText: /^Couldn't save: .+\. Your change was undone\./ })).toBeVisible();
  await expect(star).toHaveAttribute("aria-pressed", "false");
  await b.page.unroute("**/api/trpc/bookmarks.update**");

  await a.context.close();
  await b.context.close();
});
