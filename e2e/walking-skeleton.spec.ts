import WebSocket from "ws";
import { expect, test, type Page } from "./fixtures";
import { APP_URL } from "../playwright.config";
import { createXAccount, sandbox } from "./sandbox";

async function logInWithX(page: Page, username: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Log in with X" }).click();
  // The sandbox's consent page, like X's: app, scopes, account choice, Authorize / Cancel.
  await expect(page.getByRole("button", { name: "Authorize app" })).toBeVisible();
  await expect(page.getByText(/bookmark/i).first()).toBeVisible();
  await page.getByRole("radio", { name: new RegExp(`@${username}`) }).check();
  await page.getByRole("button", { name: "Authorize app" }).click();
  await expect(page).toHaveURL(`${APP_URL}/`);
}

test.afterEach(async () => {
  await sandbox("PUT", "/faults", {});
});

test("log in with X, sync with live progress, browse, log out, log back in, sync only what is new", async ({ page }) => {
  const account = await createXAccount(250);
  const truth = (await sandbox<{ ids: string[] }>("GET", `/users/${account.id}/bookmarks`)).ids;

  await logInWithX(page, account.username);
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();

  // Slow X down a little so the progress is there to watch.
  await sandbox("PUT", "/faults", { latencyMs: 400 });
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  const bar = page.getByRole("progressbar", { name: "Sync progress" });
  await expect(page.getByTestId("sync-progress")).toBeVisible();
  await expect(page.getByTestId("sync-progress")).toContainText(/Fetched/);
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 30_000 });
  await expect(bar).toHaveAttribute("aria-valuenow", "100");
  await expect(page.getByTestId("sync-summary")).toContainText("250 new");

  // Newest bookmarked first, as on X; infinite scroll brings the rest.
  const cards = page.getByTestId("bookmark");
  await expect(cards.first()).toHaveAttribute("data-post-id", truth[0]!);
  // (The list is virtualised: `data-loaded` counts the loaded bookmarks, the page holds fewer cards.)
  const list = page.getByTestId("bookmark-list");
  await expect(list).toHaveAttribute("data-loaded", "30");
  await expect(cards.first().getByRole("link", { name: "View on X ↗" })).toHaveAttribute("href", new RegExp(`/status/${truth[0]}$`));
  for (let i = 0; i < 40 && (await list.getAttribute("data-loaded")) !== "250"; i++) {
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForTimeout(300);
  }
  await expect(list).toHaveAttribute("data-loaded", "250");
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await expect(page.getByText("That’s all 250 bookmarks.")).toBeVisible();
  await expect(cards.last()).toHaveAttribute("data-post-id", truth[249]!);

  // Log out: protected pages send you to log in.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);

  // Back in: everything is still there. A second sync brings only what is new.
  await logInWithX(page, account.username);
  await expect(list).toHaveAttribute("data-loaded", "30");
  await sandbox("POST", `/users/${account.id}/bookmarks`, { count: 5 });
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("5 new", { timeout: 30_000 });
  const newest = (await sandbox<{ ids: string[] }>("GET", `/users/${account.id}/bookmarks`)).ids[0]!;
  await expect(cards.first()).toHaveAttribute("data-post-id", newest);
  await expect(page.getByTestId("library-summary")).toContainText("255 bookmarks");
});

test("cancel on X's consent page returns to the login page with a clear message", async ({ page }) => {
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in with X" }).click();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole("alert").filter({ hasText: "X did not complete the login" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with X" })).toBeVisible();
});

test("an unauthenticated WebSocket subscription is refused", async ({ page, allowConsoleErrors }) => {
  // The refused socket is the point: Chromium logs the failed handshake as an error.
  allowConsoleErrors(/WebSocket connection to .* failed/, "an unauthenticated socket is refused on purpose");
  const wsUrl = APP_URL.replace("http", "ws") + "/api/trpc-ws";
  // From a browser with no session cookie.
  await page.goto("/login");
  const outcome = await page.evaluate(
    (url) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(url);
        ws.onopen = () => resolve("open");
        ws.onerror = () => resolve("refused");
      }),
    wsUrl,
  );
  expect(outcome).toBe("refused");
  // And the HTTP answer on the upgrade itself.
  const status = await new Promise<number>((resolve) => {
    // From the app's own origin (another origin is refused earlier, with 403).
    const ws = new WebSocket(wsUrl, { headers: { cookie: "next-auth.session-token=not-a-session", origin: APP_URL } });
    ws.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.on("open", () => resolve(101));
    ws.on("error", () => undefined);
  });
  expect(status).toBe(401);
});
