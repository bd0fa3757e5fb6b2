import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test, type Browser, type Locator, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { logInWithX } from "./app";
import { createXAccount, sandbox } from "./sandbox";

const run = promisify(execFile);

/**
 * An admin, made as an operator would: they log in with X once (which creates their account),
 * then `npm run admin:grant -- @handle` against the e2e database (DATABASE_URL from `npm test`).
 */
async function logInAsAdmin(page: Page): Promise<string> {
  const account = await createXAccount(0);
  await logInWithX(page, account.username);
  const { stdout } = await run("npm", ["run", "--silent", "admin:grant", "--", `@${account.username}`], { env: process.env });
  expect(stdout).toContain(`@${account.username} is now an admin`);
  return account.username;
}

/** Someone else, logged in in a browser of their own, on their library page and subscribed to it. */
async function userWithLibrary(browser: Browser, bookmarks: number) {
  const account = await createXAccount(bookmarks);
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInWithX(page, account.username);
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  return { ...account, page, close: () => context.close() };
}

async function openOverview(page: Page) {
  await page.goto("/admin");
  await expect(page.getByTestId("admin-live")).toHaveAttribute("data-live", "live");
  return page.getByTestId("queue-sync");
}

const count = async (tile: Locator) => Number(await tile.getAttribute("data-count"));

async function confirm(page: Page) {
  const dialog = page.getByTestId("confirm-dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByTestId("confirm-button").click();
  await expect(dialog).toBeHidden();
}

test.afterEach(async ({ page }) => {
  await sandbox("PUT", "/faults", {});
  // Never leave the sync queue paused for the next test (refused when it is not paused, or when this page is no admin's).
  // Origin: mutations are accepted only from the app's own pages.
  await page.request
    .post("/api/trpc/admin.resumeQueue", { data: { json: { queue: "sync" } }, headers: { origin: APP_URL } })
    .catch(() => undefined);
});

test("the admin console refuses everyone else: log in first, then 403 for a non-admin, FORBIDDEN from its API", async ({
  page,
  allowConsoleErrors,
}) => {
  // The 403 page is the point of this test: the browser logs its status as an error.
  allowConsoleErrors(/status of 403 \(Forbidden\)/, "a non-admin gets the 403 page on purpose");
  const account = await createXAccount(0);
  // Not logged in: to the login page, and back to the admin page afterwards...
  await logInWithX(page, account.username, "/admin/jobs");
  // ...which is not theirs.
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByRole("heading", { name: "This page is for admins only" })).toBeVisible();
  for (const path of ["/admin", "/admin/jobs?state=failed", "/admin/jobs/sync/1", "/admin/workers", "/admin/users", "/admin/audit"]) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(403);
    await expect(page.getByTestId("forbidden")).toBeVisible();
    await expect(page.getByTestId("admin-nav")).toHaveCount(0);
  }
  const api = await page.request.get("/api/trpc/admin.overview");
  expect(api.status()).toBe(403);
  expect(JSON.stringify(await api.json())).toContain("FORBIDDEN");
  // Their library has no way into the console.
  await page.goto("/");
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByTestId("admin-link")).toHaveCount(0);
});

test("an admin watches the counts change live while a sync runs, opens the job and reads its logs", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await logInAsAdmin(page);
  await page.goto("/");
  await page.getByTestId("admin-link").click();
  await expect(page).toHaveURL(`${APP_URL}/admin`);
  const user = await userWithLibrary(browser, 450);
  try {
    // Batches of queue events that carry events (the first, empty one only says "live").
    let eventBatches = 0;
    page.on("websocket", (ws) =>
      ws.on("framereceived", (f) => {
        if (typeof f.payload === "string" && f.payload.includes('"events":[{')) eventBatches++;
      }),
    );
    const sync = await openOverview(page);
    const completed = sync.getByTestId("count-completed");
    const active = sync.getByTestId("count-active");
    const completedBefore = await count(completed);
    const lastHour = await sync.getByTestId("last-hour").textContent();

    // Nothing happening: the page does not poll (unless the worker's scheduled scan happened to run).
    const overviewFetches: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("admin.overview")) overviewFetches.push(r.url());
    });
    const batchesBefore = eventBatches;
    await page.waitForTimeout(2_500);
    if (eventBatches === batchesBefore) expect(overviewFetches).toEqual([]);

    // X slowed down so the sync lasts a few seconds; the counts follow it without a reload.
    await sandbox("PUT", "/faults", { latencyMs: 700 });
    await user.page.getByRole("button", { name: "Sync", exact: true }).click();
    await expect(active).toHaveAttribute("data-count", "1", { timeout: 20_000 });
    await expect(completed).toHaveAttribute("data-count", String(completedBefore + 1), { timeout: 60_000 });
    await expect(active).toHaveAttribute("data-count", "0");
    await expect(sync.getByTestId("last-hour")).not.toHaveText(lastHour ?? "");
    expect(overviewFetches.length).toBeGreaterThan(0);
    await expect(user.page.getByTestId("sync-summary")).toContainText("Sync complete");

    // The completed tile opens the list; search it by the user's handle.
    await completed.click();
    await expect(page).toHaveURL(/\/admin\/jobs\?state=completed/);
    await expect(page.getByTestId("state-tab-completed")).toHaveAttribute("aria-current", "page");
    await page.getByTestId("job-user-search").fill(`@${user.username}`);
    await page.getByTestId("job-user-search").press("Enter");
    await expect(page.getByTestId("matched-users")).toContainText(`@${user.username}`);
    const rows = page.getByTestId("job-row");
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute("data-state", "completed");
    await expect(rows.first().getByTestId("job-user")).toHaveText(`@${user.username}`);
    await rows.first().click();

    // The job: who, what, its logs line by line, and the run it produced.
    const detail = page.getByTestId("job-detail");
    await expect(detail).toHaveAttribute("data-state", "completed");
    await expect(page.getByTestId("job-user")).toContainText(`@${user.username}`);
    const logs = page.getByTestId("log-line");
    await expect(logs.first()).toContainText("starting incremental manual sync");
    await expect(page.getByTestId("job-logs")).toContainText("page 1 saved");
    await expect(page.getByTestId("job-logs")).toContainText("Synced 450 bookmarks: 450 new");
    await expect(page.getByTestId("run-status")).toHaveText("succeeded");
    await expect(page.getByTestId("job-run")).toContainText("450");
    await expect(page.getByTestId("retry-job")).toHaveCount(0);
  } finally {
    await user.close();
  }
});

test("an admin retries a failed sync once the fault is cleared and sees it complete", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const adminHandle = await logInAsAdmin(page);
  const user = await userWithLibrary(browser, 120);
  try {
    const sync = await openOverview(page);
    const failedBefore = await count(sync.getByTestId("count-failed"));

    // X's monthly usage cap: a sync fails at once, without retrying. The admin starts one from the users page.
    await sandbox("PUT", "/faults", { usageCapped: "Monthly" });
    await page.getByTestId("admin-nav").getByRole("link", { name: "Users" }).click();
    await page.getByTestId("user-search").fill(user.username);
    await expect(page).toHaveURL(new RegExp(`query=${user.username}`));
    const userRow = page.locator(`[data-testid="user-row"][data-handle="${user.username}"]`);
    await expect(page.getByTestId("user-row")).toHaveCount(1);
    await expect(userRow.getByTestId("user-bookmarks")).toHaveText("0");
    await userRow.getByTestId("sync-user").click();
    await confirm(page);
    await expect(page.getByTestId("toast").filter({ hasText: `Sync started for @${user.username}` })).toBeVisible();
    await expect(userRow).toHaveAttribute("data-status", "failed", { timeout: 30_000 });
    await expect(userRow.getByTestId("user-status")).toHaveText("Failed");
    await expect(user.page.getByTestId("sync-summary")).toContainText("usage cap");

    await page.getByTestId("admin-nav").getByRole("link", { name: "Overview" }).click();
    await expect(sync.getByTestId("count-failed")).toHaveAttribute("data-count", String(failedBefore + 1));

    await sync.getByTestId("count-failed").click();
    await expect(page).toHaveURL(/state=failed/);
    const row = page.getByTestId("job-row").filter({ hasText: `@${user.username}` });
    await expect(row).toHaveCount(1);
    await expect(row.getByTestId("job-failed-reason")).toContainText(/usage cap/i);
    await row.getByTestId("job-link").click();

    const detail = page.getByTestId("job-detail");
    await expect(detail).toHaveAttribute("data-state", "failed");
    await expect(page.getByTestId("job-failure").getByTestId("job-failed-reason")).toContainText(/monthly usage cap/i);
    await expect(page.getByTestId("job-stacktrace").first()).toBeVisible();
    await expect(page.getByTestId("job-logs")).toContainText("failed: This app has reached X's monthly usage cap");
    await expect(page.getByTestId("run-status")).toHaveText("failed");

    // The cap is lifted; retry (confirmed), and the page follows the job to the end by itself.
    await sandbox("PUT", "/faults", {});
    await page.getByTestId("retry-job").click();
    await expect(page.getByTestId("confirm-dialog")).toContainText("fresh set of attempts");
    await confirm(page);
    await expect(page.getByTestId("toast").filter({ hasText: "back in the queue" })).toBeVisible();
    await expect(detail).toHaveAttribute("data-state", "completed", { timeout: 60_000 });
    await expect(page.getByTestId("run-status")).toHaveText("succeeded");
    await expect(page.getByTestId("job-logs")).toContainText(`retried by admin @${adminHandle}`);
    await expect(page.getByTestId("job-logs")).toContainText("Synced 120 bookmarks: 120 new");
    await expect(page.getByTestId("job-failure")).toHaveCount(0);
    await expect(page.getByTestId("job-earlier-failures")).toContainText(/usage cap/i);
    // What admins did to this job, newest first: started it (from the users page), retried it.
    const actions = page.getByTestId("job-audit").getByTestId("audit-row");
    await expect(actions).toHaveCount(2);
    await expect(actions.nth(0)).toHaveAttribute("data-action", "job.retry");
    await expect(actions.nth(1)).toHaveAttribute("data-action", "user.startSync");
    const jobId = await detail.getAttribute("data-job-id");

    // The audit log has it, filtered by action, with a link back to the job.
    await page.getByTestId("admin-nav").getByRole("link", { name: "Audit log" }).click();
    await page.getByTestId("audit-action-filter").selectOption("job.retry");
    await expect(page).toHaveURL(/action=job\.retry/);
    const entry = page.getByTestId("audit-row").filter({ hasText: `@${adminHandle}` });
    await expect(entry).toHaveCount(1);
    await entry.getByTestId("audit-job-link").click();
    await expect(page.getByTestId("job-detail")).toHaveAttribute("data-job-id", jobId!);
  } finally {
    await user.close();
  }
});

test("pausing the sync queue stops new syncs from starting; resuming lets them run", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await logInAsAdmin(page);
  const user = await userWithLibrary(browser, 60);
  try {
    const sync = await openOverview(page);
    const completedBefore = await count(sync.getByTestId("count-completed"));

    await sync.getByTestId("pause-queue").click();
    await expect(page.getByTestId("confirm-dialog")).toContainText("start no new ones");
    await confirm(page);
    await expect(sync.getByTestId("paused-badge")).toBeVisible();

    // A sync asked for now waits: counted as paused, never active.
    await user.page.getByRole("button", { name: "Sync", exact: true }).click();
    await expect(sync.getByTestId("count-paused")).toHaveAttribute("data-count", "1");
    await expect(sync.getByTestId("oldest-waiting")).toContainText("old");
    await page.waitForTimeout(3_000);
    await expect(sync.getByTestId("count-active")).toHaveAttribute("data-count", "0");
    await expect(sync.getByTestId("count-paused")).toHaveAttribute("data-count", "1");
    await expect(sync.getByTestId("count-completed")).toHaveAttribute("data-count", String(completedBefore));
    await expect(user.page.getByTestId("sync-progress")).toHaveAttribute("data-phase", "queued");

    // The paused tab lists it.
    await sync.getByTestId("count-paused").click();
    await expect(page.getByTestId("job-row").filter({ hasText: `@${user.username}` })).toHaveAttribute("data-state", "paused");
    await page.getByTestId("admin-nav").getByRole("link", { name: "Overview" }).click();

    await sync.getByTestId("resume-queue").click();
    await confirm(page);
    await expect(sync.getByTestId("paused-badge")).toHaveCount(0);
    await expect(sync.getByTestId("count-completed")).toHaveAttribute("data-count", String(completedBefore + 1), { timeout: 30_000 });
    await expect(sync.getByTestId("count-paused")).toHaveAttribute("data-count", "0");
    await expect(user.page.getByTestId("sync-summary")).toContainText("Sync complete");

    // Both actions are in the audit log.
    await page.goto("/admin/audit");
    await expect(page.getByTestId("audit-row").first()).toHaveAttribute("data-action", "queue.resume");
    await expect(page.getByTestId("audit-row").nth(1)).toHaveAttribute("data-action", "queue.pause");
  } finally {
    await user.close();
  }
});
