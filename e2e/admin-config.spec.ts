import { randomUUID } from "node:crypto";
import { logInWithX } from "./app";
import { expect, test, type Browser } from "./fixtures";
import { startWeb, type ExtraServer } from "./processes";
import { createXAccount, createXAccountNamed, renameXAccount } from "./sandbox";

/**
 * Issue 19: admins made by configuration (ADMIN_X_IDS, ADMIN_HANDLES) as the README says, through
 * the real log-in: a web process started with the settings, the sandbox's consent page, /admin.
 */

/** Logs `username` in on `web` in a browser of its own, landing on /admin. */
async function logInOnAdmin(browser: Browser, web: ExtraServer, username: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logInWithX(page, username, "/admin", web.url);
  return { page, close: () => context.close() };
}

async function expectConsole(browser: Browser, web: ExtraServer, username: string) {
  const { page, close } = await logInOnAdmin(browser, web, username);
  await expect(page.getByTestId("admin-nav")).toBeVisible();
  await expect(page.getByTestId("forbidden")).toHaveCount(0);
  const api = await page.request.get(`${web.url}/api/trpc/admin.overview`);
  expect(api.status(), username).toBe(200);
  await close();
}

async function expectForbidden(browser: Browser, web: ExtraServer, username: string) {
  const { page, close } = await logInOnAdmin(browser, web, username);
  await expect(page.getByTestId("forbidden")).toBeVisible();
  expect((await page.goto(`${web.url}/admin`))?.status(), username).toBe(403);
  await expect(page.getByTestId("admin-nav")).toHaveCount(0);
  expect((await page.request.get(`${web.url}/api/trpc/admin.overview`)).status()).toBe(403);
  await close();
}

test("configured admins (by X id and by handle) see the console at log-in; nobody else; a handle that changes owner gains nothing", async ({
  browser,
  allowConsoleErrors,
}) => {
  test.setTimeout(240_000);
  // Non-admins are sent to /admin on purpose: the browser logs the 403 answer as an error.
  allowConsoleErrors(/status of 403 \(Forbidden\)/, "non-admins get the 403 page on purpose");
  const handle = `boss_${randomUUID().replace(/-/g, "").slice(0, 8)}`;
  const byHandle = await createXAccountNamed(handle);
  const byId = await createXAccount(0);
  const nobody = await createXAccount(0);
  const web = await startWeb(undefined, { ownLogIn: true, env: { ADMIN_HANDLES: `@${handle.toUpperCase()}`, ADMIN_X_IDS: byId.id } });
  try {
    await expectConsole(browser, web, byId.username);
    await expectConsole(browser, web, byHandle.username);
    await expectForbidden(browser, web, nobody.username);

    // The handle's owner renames on X; someone else registers the freed handle and logs in.
    await renameXAccount(byHandle.id, `x${handle}`);
    const squatter = await createXAccountNamed(handle);
    expect(squatter.id).not.toBe(byHandle.id);
    await expectForbidden(browser, web, handle);
    // The first owner, under the new handle, keeps the console.
    await expectConsole(browser, web, `x${handle}`);
  } finally {
    await web.kill();
  }
});
