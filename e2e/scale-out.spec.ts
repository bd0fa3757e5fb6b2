import { badge, card, openTab, settled } from "./app";
import { expect, test } from "./fixtures";
import { startWeb, startWorker, type ExtraServer } from "./processes";
import { createXAccount, sandbox } from "./sandbox";

/**
 * The scale-out topology (as `npm run dev:cluster` starts it): web A (Playwright's) and web B,
 * two workers, one Postgres, one Redis. Two devices of one user, one on each web process.
 */
const BOOKMARKS = 150;

const started: ExtraServer[] = [];
test.afterEach(async ({}, testInfo) => {
  await sandbox("PUT", "/faults", {});
  if (testInfo.status !== testInfo.expectedStatus) {
    for (const s of started) await testInfo.attach(`output of ${s.url}`, { body: s.output(), contentType: "text/plain" });
  }
  await Promise.all(started.splice(0).map((s) => s.kill()));
});

test("two web processes and two workers work as one; a tab whose web process dies catches up when it is back", async ({
  browser,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/ERR_CONNECTION_REFUSED/, "web B is killed on purpose while a tab is on it");
  test.setTimeout(180_000);
  const [webB, workerB] = await Promise.all([startWeb(), startWorker()]);
  started.push(webB, workerB);
  const account = await createXAccount(BOOKMARKS);

  // Device A on web A, device B on web B (logged in through A: the cookie holds on any port).
  const a = await openTab(browser, account.username);
  const b = await openTab(browser, account.username);
  await b.page.goto(`${webB.url}/`);
  await expect(b.page.getByTestId("empty-library")).toBeVisible();
  await expect(badge(b.page, "Live")).toHaveAttribute("data-transport", "ws");

  // A sync started on A, run by either worker, shows its progress on B.
  await sandbox("PUT", "/faults", { latencyMs: 400 });
  await a.page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(b.page.getByTestId("sync-progress")).toContainText(/Fetched/);
  await expect(b.page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await sandbox("PUT", "/faults", {});
  await settled(b.page);
  await expect(b.page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);
  const ids = (await b.page.getByTestId("bookmark").evaluateAll((els) => els.slice(0, 4).map((e) => e.getAttribute("data-post-id")!))) as [
    string,
    string,
    string,
    string,
  ];
  const [first, second, third, fourth] = ids;

  // An edit through B shows on A, and one through A on B.
  await card(b.page, first).getByTestId("favorite-toggle").click();
  await expect(card(a.page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  await card(a.page, second).getByTestId("tag-input").fill("scaled");
  await card(a.page, second).getByTestId("tag-input").press("Enter");
  await expect(card(b.page, second).getByTestId("tag-chip").filter({ hasText: "#scaled" })).toBeVisible();

  // Web B dies. B's page notices and keeps trying.
  await webB.kill();
  await expect(badge(b.page, "Reconnecting")).toBeVisible();

  // Meanwhile, on A: a star, a tag and a note. B's socket is gone: these it can only catch up on.
  await card(a.page, third).getByTestId("favorite-toggle").click();
  await expect(card(a.page, third).getByTestId("favorite-toggle")).not.toHaveClass(/opacity-60/);
  await card(a.page, fourth).getByTestId("tag-input").fill("missed");
  await card(a.page, fourth).getByTestId("tag-input").press("Enter");
  await expect(card(a.page, fourth).getByTestId("tag-chip").filter({ hasText: "#missed" })).toHaveAttribute("data-tag-id", /^\d+$/);
  await card(a.page, first).getByTestId("add-note").click();
  await card(a.page, first).getByTestId("note-input").fill("Written while web B was down");
  await card(a.page, first).getByTestId("note-input").press("Control+Enter");
  await expect(card(a.page, first).getByTestId("note")).not.toHaveClass(/opacity-70/);
  await expect(card(b.page, third).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "false");

  // Web B is back on the same port: B reconnects (backoff 1, 2, 4, 8 s…), resumes from its last
  // event id, and shows all three without a reload.
  const webB2 = await startWeb(Number(new URL(webB.url).port));
  started.push(webB2);
  await expect(badge(b.page, "Live")).toHaveAttribute("data-transport", "ws", { timeout: 30_000 });
  await expect(card(b.page, third).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  await expect(card(b.page, fourth).getByTestId("tag-chip").filter({ hasText: "#missed" })).toBeVisible();
  await expect(card(b.page, first).getByTestId("note")).toContainText("Written while web B was down");

  // And B's edits go through the restarted process to A.
  await card(b.page, second).getByTestId("favorite-toggle").click();
  await expect(card(a.page, second).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");

  await a.context.close();
  await b.context.close();
});
