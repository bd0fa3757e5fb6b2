import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { logInWithX } from "./app";
import { createXAccount } from "./sandbox";

const run = promisify(execFile);
const SYNC_STARTS_PER_HOUR = 30; // the default (RATE_LIMIT_SYNC_STARTS_PER_HOUR)

test("a user over the sync-start limit gets 429 with Retry-After and a sentence; the admin's Limits page shows them", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const account = await createXAccount(0);
  await logInWithX(page, account.username);

  // From the page itself (same origin, the user's cookie), as a script gone wild would: one HTTP
  // batch of 31 starts. Each call inside the batch counts, so exactly one is refused.
  const answer = await page.evaluate(async (n) => {
    const calls = Array.from({ length: n }, () => "sync.start").join(",");
    const input = Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: { mode: "incremental" } }]));
    const res = await fetch(`/api/trpc/${calls}?batch=1`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(input) });
    const body = (await res.json()) as { error?: { json: { message: string; data: { code: string; retryAfterSeconds: number | null } } } }[];
    return { status: res.status, retryAfter: res.headers.get("retry-after"), errors: body.flatMap((a) => (a.error ? [a.error.json] : [])) };
  }, SYNC_STARTS_PER_HOUR + 1);

  expect(answer.errors).toHaveLength(1);
  const refused = answer.errors[0]!;
  expect(refused.data.code).toBe("TOO_MANY_REQUESTS");
  expect(refused.message).toMatch(/^You have started 30 syncs in the last hour, the most allowed\. Try again in \d+ minutes\.$/);
  expect(refused.data.retryAfterSeconds).toBeGreaterThan(60);
  expect(Number(answer.retryAfter)).toBe(refused.data.retryAfterSeconds);

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
