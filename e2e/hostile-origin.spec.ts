import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { logInWithX, settled } from "./app";
import { createXAccount } from "./sandbox";

/**
 * Issue 12, point 1, as an attacker does it: a page on another port of the same host (same
 * site, so the browser sends the user's Lax session cookie along) in the browser where the user
 * is logged in tries to open the app's WebSocket and to post forms to a tRPC mutation.
 */

/** The hostile page: a socket attempt and two auto-submitting forms aimed at `bookmarkId`. */
function hostilePage(bookmarkId: string): string {
  const mutation = `${APP_URL}/api/trpc/bookmarks.update?batch=1`;
  // text/plain sends `name=value`: this name and value make the body the batch's JSON.
  const jsonName = `{"0":{"json":{"id":"${bookmarkId}","favorite":true}},"z":"`;
  return `<!doctype html><html><body>
<iframe name="sink-text"></iframe><iframe name="sink-multipart"></iframe>
<form id="text" method="POST" action="${mutation}" enctype="text/plain" target="sink-text">
  <input name='${jsonName}' value='"}'>
</form>
<form id="multipart" method="POST" action="${mutation}" enctype="multipart/form-data" target="sink-multipart">
  <input name="0" value='{"json":{"id":"${bookmarkId}","favorite":true}}'>
</form>
<script>
  window.socketOutcome = new Promise((resolve) => {
    const ws = new WebSocket(${JSON.stringify(APP_URL.replace("http", "ws") + "/api/trpc-ws")});
    ws.onopen = () => resolve("open");
    ws.onerror = () => resolve("refused");
  });
  document.getElementById("text").submit();
  document.getElementById("multipart").submit();
</script></body></html>`;
}

let hostile: Server | undefined;
test.afterEach(() => {
  hostile?.closeAllConnections();
  hostile?.close();
});

test("a hostile page on another port can neither open the socket nor post forms to a mutation", async ({ page, allowConsoleErrors }) => {
  allowConsoleErrors(
    /WebSocket connection to .* failed|status of 403|Refused to display .* in a frame/,
    "the hostile page's socket, form posts and frame are refused on purpose",
  );
  test.setTimeout(150_000);
  const account = await createXAccount(3);
  await logInWithX(page, account.username);
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(page);
  const first = page.getByTestId("bookmark").first();
  const bookmarkId = (await first.getAttribute("data-bookmark-id"))!;
  await expect(first.getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "false");

  let html = "";
  hostile = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(html));
  await new Promise<void>((r) => hostile!.listen(0, "127.0.0.1", r));
  const hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`;
  html = hostilePage(bookmarkId);

  // The same browser context: the session cookie for 127.0.0.1 goes with every request.
  const evil = await page.context().newPage();
  const posts: { status: number; type: string }[] = [];
  evil.on("response", (res) => {
    if (res.request().method() === "POST" && res.url().startsWith(`${APP_URL}/api/trpc/`)) {
      posts.push({ status: res.status(), type: res.request().headers()["content-type"]?.split(";")[0] ?? "" });
    }
  });
  await evil.goto(hostileUrl);
  expect(await evil.evaluate(() => (window as unknown as { socketOutcome: Promise<string> }).socketOutcome)).toBe("refused");
  await expect.poll(() => posts.length, { timeout: 15_000 }).toBe(2);
  expect(posts.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
    { status: 403, type: "multipart/form-data" },
    { status: 403, type: "text/plain" },
  ]);
  await evil.close();

  // Nothing changed in the library.
  await page.reload();
  await settled(page);
  const card = page.locator(`[data-bookmark-id="${bookmarkId}"]`);
  await expect(card.getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "false");

  // The control: the same call from the app's own page, as JSON, does change it (so the forms
  // above were refused for where they came from, not for what they said).
  const status = await page.evaluate(
    (body) =>
      fetch("/api/trpc/bookmarks.update?batch=1", { method: "POST", headers: { "content-type": "application/json" }, body }).then(
        (r) => r.status,
      ),
    JSON.stringify({ 0: { json: { id: bookmarkId, favorite: true } } }),
  );
  expect(status).toBe(200);
  await page.reload();
  await settled(page);
  await expect(card.getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");

  // Sign-out (a next-auth POST, origin-checked too) works from the app's own page.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
});

test("pages carry a Content-Security-Policy with a fresh nonce, and run under it without violations", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const nonces: string[] = [];
  for (let i = 0; i < 2; i++) {
    const res = await page.goto("/login");
    const csp = res!.headers()["content-security-policy"] ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res!.headers()["x-content-type-options"]).toBe("nosniff");
    expect(res!.headers()["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    nonces.push(/'nonce-([^']+)'/.exec(csp)?.[1] ?? "");
    // Next's scripts carry this request's nonce, and they ran (the page is interactive).
    expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
    await expect(page.getByRole("button", { name: "Log in with X" })).toBeEnabled();
  }
  expect(nonces[0]).not.toBe("");
  expect(nonces[0]).not.toBe(nonces[1]);
  // Over plain http (this test server): no HSTS.
  expect((await page.request.get("/login")).headers()["strict-transport-security"]).toBeUndefined();
  expect(violations).toEqual([]);
});
