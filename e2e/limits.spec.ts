import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { logInWithX } from "./app";
import { expect, test } from "./fixtures";
import { createXAccount } from "./sandbox";

const run = promisify(execFile);
const SYNC_STARTS_PER_HOUR = 30; // the default (RATE_LIMIT_SYNC_STARTS_PER_HOUR)

test("a user over the sync-start limit gets 429 with Retry-After and a sentence; the admin's Limits page shows them", async ({
  page,
  browser,
  allowConsoleErrors,
}) => {
  test.setTimeout(240_000);
  allowConsoleErrors(/status of 429 \(Too Many Requests\)/, "the user goes over the limit on purpose");
  const account = await createXAccount(0);
  await logInWithX(page, account.username);

  // From the page itself (same origin, the user's cookie), as a script gone wild would. One at a
  // time: starts of one user are serialised (an advisory lock), so a concurrent burst mostly waits.
  const answers = await page.evaluate(async (n) => {
    const out: { status: number; retryAfter: string | null; message: string | null; retryAfterSeconds: number | null }[] = [];
    for (let i = 0; i < n; i++) {
      const res = await fetch("/api/trpc/sync.start?batch=1", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ 0: { json: { mode: "incremental" } } }),
      });
      const body = (await res.json()) as [{ error?: { json: { message: string; data: { retryAfterSeconds: number | null } } } }];
      out.push({
        status: res.status,
        retryAfter: res.headers.get("retry-after"),
        message: body[0].error?.json.message ?? null,
        retryAfterSeconds: body[0].error?.json.data.retryAfterSeconds ?? null,
      });
    }
    return out;
  }, SYNC_STARTS_PER_HOUR + 1);

  expect(answers.slice(0, SYNC_STARTS_PER_HOUR).map((a) => a.status)).toEqual(Array(SYNC_STARTS_PER_HOUR).fill(200));
  const refused = answers.at(-1)!;
  expect(refused.status).toBe(429);
  expect(refused.message).toMatch(/^You have started 30 syncs in the last hour, the most allowed\. Try again in \d+ minutes\.$/);
  expect(refused.retryAfterSeconds).toBeGreaterThan(60);
  expect(Number(refused.retryAfter)).toBe(refused.retryAfterSeconds);

  // An admin (made as an operator would) sees who was limited.
  const admin = await createXAccount(0);
  const context = await browser.newContext();
  const adminPage = await context.newPage();
  await logInWithX(adminPage, admin.username);
  await run("npm", ["run", "--silent", "admin:grant", "--", `@${admin.username}`], { env: process.env });
  await adminPage.goto("/admin/limits");
  const row = adminPage.getByTestId("limited-row").filter({ hasText: `@${account.username}` });
  await expect(row).toBeVisible();
  await expect(row).toContainText("Sync starts per hour");
  await expect(row.getByRole("cell").nth(2)).toHaveText("1");
  await context.close();
});
