import { badge, card, logInWithX, openTab, settled } from "./app";
import { expect, test, type Locator, type Response } from "./fixtures";
import { createXAccount, sandbox } from "./sandbox";

const BOOKMARKS = 12;

test.afterEach(async () => {
  await sandbox("PUT", "/faults", {});
});

/** A tRPC batch answer refusing the call (NOT_FOUND), as the server would send it. */
function refusal(path: string) {
  const data = { code: "NOT_FOUND", httpStatus: 404, path, zodError: null, retryAfterSeconds: null, conflict: null };
  return {
    status: 404,
    contentType: "application/json",
    body: JSON.stringify([{ error: { json: { message: "Bookmark not found", code: -32004, data } } }]),
  };
}

/** Opens the card's note editor (add or edit) and returns its field. */
async function openNote(c: Locator) {
  const add = c.getByTestId("add-note");
  if (await add.isVisible()) await add.click();
  else await c.getByTestId("note").getByRole("button", { name: "Edit" }).click();
  return c.getByTestId("note-input");
}

test("two tabs of one user: edits show in both, non-clashing edits merge, a clash asks", async ({ browser, allowConsoleErrors }) => {
  allowConsoleErrors(
    /status of 409 \(Conflict\)|status of 404 \(Not Found\)/,
    "the tabs clash (409) and edit a bookmark deleted in the other tab (404) on purpose",
  );
  test.setTimeout(150_000);
  const account = await createXAccount(BOOKMARKS);

  const a = await openTab(browser, account.username);
  await expect(a.page.getByTestId("empty-library")).toBeVisible();
  await expect(badge(a.page, "Live")).toBeVisible();
  await a.page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(a.page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(a.page);
  await expect(a.page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);

  const b = await openTab(browser, account.username);
  await settled(b.page);
  await expect(b.page.getByTestId("result-count")).toHaveText(`${BOOKMARKS} bookmarks`);
  await expect(badge(b.page, "Live")).toHaveAttribute("data-transport", "ws");

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

  // (d) A refused edit shows at once, then is undone with a message. (A request that cannot be
  // made at all is a network failure: that edit waits in the offline queue instead.)
  await b.page.route("**/api/trpc/bookmarks.update**", (route) => route.fulfill(refusal("bookmarks.update")));
  const star = card(b.page, fourth).getByTestId("favorite-toggle");
  await expect(star).toHaveAttribute("aria-pressed", "false");
  await star.click();
  await expect(b.page.getByTestId("toast").filter({ hasText: /^Couldn't save: .+\. Your change was undone\./ })).toBeVisible();
  await expect(star).toHaveAttribute("aria-pressed", "false");
  await b.page.unroute("**/api/trpc/bookmarks.update**");

  await a.context.close();
  await b.context.close();
});

test("offline: edits wait on the device, show as pending, and land in order once back online", async ({ browser, allowConsoleErrors }) => {
  allowConsoleErrors(
    /ERR_INTERNET_DISCONNECTED|ERR_FAILED|status of 409 \(Conflict\)/,
    "the device goes offline, its edits fail, and one clashes on purpose",
  );
  test.setTimeout(150_000);
  const account = await createXAccount(BOOKMARKS);

  const a = await openTab(browser, account.username);
  await a.page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(a.page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(a.page);
  await expect(badge(a.page, "Live")).toBeVisible();
  const ids = await a.page.getByTestId("bookmark").evaluateAll((els) => els.slice(0, 5).map((e) => e.getAttribute("data-post-id")!));
  const [first, second, third, fourth, fifth] = ids as [string, string, string, string, string];

  // Offline: star one, note another, star a third. Each shows at once, faded (pending).
  await a.context.setOffline(true);
  const offline = badge(a.page, "Offline");
  await expect(offline).toBeVisible();
  const star1 = card(a.page, first).getByTestId("favorite-toggle");
  await star1.click();
  const note2 = await openNote(card(a.page, second));
  await note2.fill("Written offline");
  await note2.press("Control+Enter");
  const star3 = card(a.page, third).getByTestId("favorite-toggle");
  await star3.click();
  await expect(star1).toHaveAttribute("aria-pressed", "true");
  await expect(star1).toHaveClass(/opacity-60/);
  await expect(card(a.page, second).getByTestId("note")).toContainText("Written offline");
  await expect(card(a.page, second).getByTestId("note")).toHaveClass(/opacity-70/);
  await expect(star3).toHaveAttribute("aria-pressed", "true");
  await expect(star3).toHaveClass(/opacity-60/);
  await expect(offline).toContainText("3 pending");
  await expect(offline).toHaveAttribute("aria-label", /3 edits waiting/);
  await expect(a.page.getByTestId("toast")).toHaveCount(0);

  // Back online: all three go out and settle.
  await a.context.setOffline(false);
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0, { timeout: 20_000 });
  await expect(badge(a.page, "Live")).toBeVisible();
  await expect(star1).not.toHaveClass(/opacity-60/);
  await expect(star3).not.toHaveClass(/opacity-60/);

  // Saved: after a reload, and in a second tab of the same user.
  await a.page.reload();
  await settled(a.page);
  const b = await openTab(browser, account.username);
  await settled(b.page);
  for (const page of [a.page, b.page]) {
    await expect(card(page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
    await expect(card(page, second).getByTestId("note")).toContainText("Written offline");
    await expect(card(page, third).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  }

  // Kept across a reload: an edit that cannot be sent yet is still pending after one, then lands.
  await a.context.setOffline(true);
  await card(a.page, fourth).getByTestId("favorite-toggle").click();
  await expect(badge(a.page, "1 pending")).toBeVisible();
  await a.page.route("**/api/trpc/bookmarks.update**", (route) => route.abort());
  await a.context.setOffline(false);
  await a.page.reload();
  await settled(a.page);
  const star4 = card(a.page, fourth).getByTestId("favorite-toggle");
  await expect(star4).toHaveAttribute("aria-pressed", "true");
  await expect(star4).toHaveClass(/opacity-60/);
  await expect(badge(a.page, "1 pending")).toBeVisible();
  await a.page.unroute("**/api/trpc/bookmarks.update**");
  // Retried every 15 s while anything waits.
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0, { timeout: 30_000 });
  await expect(card(b.page, fourth).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");

  // A clash found on replay asks, as any clash does: A notes offline, B (online) notes the same one.
  await a.context.setOffline(true);
  const noteA = await openNote(card(a.page, fifth));
  await noteA.fill("Offline, from tab A");
  await noteA.press("Control+Enter");
  await expect(badge(a.page, "1 pending")).toBeVisible();
  const noteB = await openNote(card(b.page, fifth));
  await noteB.fill("Online, from tab B");
  await noteB.press("Control+Enter");
  await expect(card(b.page, fifth).getByTestId("note")).not.toHaveClass(/opacity-70/);
  await a.context.setOffline(false);
  const dialog = a.page.getByRole("dialog", { name: "Changed elsewhere" });
  await expect(dialog).toBeVisible({ timeout: 20_000 });
  await expect(dialog.getByTestId("conflict-mine")).toContainText("Offline, from tab A");
  await expect(dialog.getByTestId("conflict-theirs")).toContainText("Online, from tab B");
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0);
  await dialog.getByRole("button", { name: "Keep mine" }).click();
  await expect(dialog).toBeHidden();
  for (const page of [a.page, b.page]) {
    await expect(card(page, fifth).getByTestId("note")).toContainText("Offline, from tab A");
  }

  await a.context.close();
  await b.context.close();
});

type WsControl = { __wsBlocked?: boolean; __sockets?: WebSocket[] };

test("after five failed reconnects the badge offers to reconnect now, and that resumes live updates", async ({
  browser,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(/ws:\/\/127\.0\.0\.1:9\/|WebSocket connection to .* failed/, "the socket is pointed at a dead port on purpose");
  test.setTimeout(150_000);
  const account = await createXAccount(BOOKMARKS);

  // A page whose sockets this test can drop, and whose new sockets can be made to fail.
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as WsControl & { WebSocket: typeof WebSocket };
    const Real = w.WebSocket;
    w.__sockets = [];
    w.WebSocket = class extends Real {
      constructor(url: string | URL, protocols?: string | string[]) {
        // Port 9 (discard) refuses: the connection fails as a downed server's would.
        super(w.__wsBlocked ? "ws://127.0.0.1:9/" : url, protocols);
        w.__sockets?.push(this);
      }
    };
  });
  const page = await context.newPage();
  await logInWithX(page, account.username);
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(page);
  await expect(badge(page, "Live")).toBeVisible();
  const first = (await page.getByTestId("bookmark").first().getAttribute("data-post-id"))!;

  await page.evaluate(() => {
    const w = window as unknown as WsControl;
    w.__wsBlocked = true;
    for (const s of w.__sockets ?? []) s.close();
  });
  await expect(badge(page, "Reconnecting")).toBeVisible();
  const reconnect = page.getByRole("button", { name: "Reconnect", exact: true });
  // Backoff 1 + 2 + 4 + 8 + 16 s: the fifth failure comes about 31 s after the drop.
  await expect(reconnect).toBeHidden();
  await expect(reconnect).toBeVisible({ timeout: 45_000 });

  await page.evaluate(() => void ((window as unknown as WsControl).__wsBlocked = false));
  await reconnect.click();
  await expect(badge(page, "Live")).toBeVisible({ timeout: 10_000 });
  await expect(reconnect).toBeHidden();

  // Subscribed again: an edit in another tab shows here.
  const b = await openTab(browser, account.username);
  await settled(b.page);
  await card(b.page, first).getByTestId("favorite-toggle").click();
  await expect(card(b.page, first).getByTestId("favorite-toggle")).not.toHaveClass(/opacity-60/);
  await expect(card(page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");

  await context.close();
  await b.context.close();
});

test("where WebSocket cannot connect, sync progress and other tabs' edits arrive over HTTP (SSE)", async ({
  browser,
  allowConsoleErrors,
}) => {
  allowConsoleErrors(
    /ws:\/\/127\.0\.0\.1:9\/|WebSocket connection to .* failed|status of 502/,
    "WebSocket is made to fail on purpose (a dead port; the probe answered 502)",
  );
  test.setTimeout(150_000);
  const account = await createXAccount(200);

  // A network that refuses WebSocket: every socket the page opens goes to a closed port.
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const w = window as unknown as { WebSocket: typeof WebSocket };
    const Real = w.WebSocket;
    w.WebSocket = class extends Real {
      constructor(_url: string | URL, protocols?: string | string[]) {
        super("ws://127.0.0.1:9/", protocols);
      }
    };
  });
  const page = await context.newPage();
  const eventStreams: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "eventsource") eventStreams.push(new URL(r.url()).pathname);
  });
  // The first event stream of the change feed meets a proxy's 502 (as during a deploy): it is
  // tried again, from where it was.
  let badGateways = 0;
  await page.route("**/api/trpc/library.onChange**", (route) => {
    if (badGateways++ === 0) return route.fulfill({ status: 502, contentType: "text/html", body: "<h1>502 Bad Gateway</h1>" });
    return route.continue();
  });
  await logInWithX(page, account.username);
  await expect(page.getByTestId("empty-library")).toBeVisible();
  // Two failed sockets (about a second), then HTTP.
  await expect(badge(page, "Live (HTTP)")).toBeVisible({ timeout: 15_000 });
  await expect(badge(page, "Live")).toHaveAttribute("data-transport", "sse");
  expect(eventStreams.filter((p) => p === "/api/trpc/library.onChange").length).toBeGreaterThanOrEqual(2);
  expect(badGateways).toBeGreaterThanOrEqual(2);

  // A sync's progress arrives over the event stream, then the bookmarks.
  await sandbox("PUT", "/faults", { latencyMs: 400 });
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-progress")).toContainText(/Fetched/);
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await sandbox("PUT", "/faults", {});
  await settled(page);
  await expect(page.getByTestId("result-count")).toHaveText("200 bookmarks");
  expect(eventStreams).toContain("/api/trpc/sync.onProgress");
  const [first, second] = (await page
    .getByTestId("bookmark")
    .evaluateAll((els) => els.slice(0, 2).map((e) => e.getAttribute("data-post-id")!))) as [string, string];

  // Another device (on WebSocket) stars a bookmark: it shows here; and the other way round.
  const b = await openTab(browser, account.username);
  await settled(b.page);
  await expect(badge(b.page, "Live")).toHaveAttribute("data-transport", "ws");
  await card(b.page, first).getByTestId("favorite-toggle").click();
  await expect(card(page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");
  const note = await openNote(card(page, second));
  await note.fill("Sent from the HTTP-only tab");
  await note.press("Control+Enter");
  await expect(card(b.page, second).getByTestId("note")).toContainText("Sent from the HTTP-only tab");
  await expect(badge(page, "Live (HTTP)")).toBeVisible();

  await context.close();
  await b.context.close();
});

test("pending edits show in every tab of the device, and wait for the account that made them", async ({ browser, allowConsoleErrors }) => {
  allowConsoleErrors(/ERR_FAILED/, "the edit's requests are aborted on purpose");
  test.setTimeout(150_000);
  const alice = await createXAccount(BOOKMARKS);
  const bob = await createXAccount(3);

  const a = await openTab(browser, alice.username);
  await a.page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(a.page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await settled(a.page);
  const first = (await a.page.getByTestId("bookmark").first().getAttribute("data-post-id"))!;
  // A second tab on the same device.
  const other = await a.context.newPage();
  await other.goto("/");
  await settled(other);

  // An edit that cannot reach the server waits on the device: both tabs count it.
  await a.context.route("**/api/trpc/bookmarks.update**", (route) => route.abort());
  await card(a.page, first).getByTestId("favorite-toggle").click();
  await expect(badge(a.page, "1 pending")).toBeVisible();
  await expect(badge(other, "1 pending")).toBeVisible();

  // Alice logs out: her session ends in every tab (the other one goes to the log-in page too),
  // and her edit stays on the device. Bob logs in here: the edit is not his, not shown, not sent.
  // Should a tab send it with his session anyway, the server refuses it untouched (412).
  const sentAsBob: number[] = [];
  const watchUpdates = (r: Response) => {
    if (r.url().includes("bookmarks.update")) sentAsBob.push(r.status());
  };
  await a.page.getByRole("button", { name: "Log out" }).click();
  await expect(a.page).toHaveURL(/\/login/);
  await expect(other).toHaveURL(/\/login/);
  a.context.on("response", watchUpdates);
  await logInWithX(a.page, bob.username);
  await expect(badge(a.page, "Live")).toBeVisible();
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0);
  await a.context.unroute("**/api/trpc/bookmarks.update**");
  await a.context.setOffline(true);
  await a.context.setOffline(false);
  await other.goto("/");
  await expect(other.getByTestId("empty-library")).toBeVisible(); // Bob has not synced
  await expect(other.getByTestId("pending-count")).toHaveCount(0);
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0);
  a.context.off("response", watchUpdates);
  expect(sentAsBob.filter((status) => status !== 412)).toEqual([]);

  // Alice comes back: her edit goes out, and both tabs see the queue empty.
  await a.page.getByRole("button", { name: "Log out" }).click();
  await expect(a.page).toHaveURL(/\/login/);
  await logInWithX(a.page, alice.username);
  await settled(a.page);
  await expect(a.page.getByTestId("pending-count")).toHaveCount(0, { timeout: 20_000 });
  await other.goto("/");
  await settled(other);
  await expect(other.getByTestId("pending-count")).toHaveCount(0);
  const star = card(a.page, first).getByTestId("favorite-toggle");
  await expect(star).toHaveAttribute("aria-pressed", "true");
  await expect(star).not.toHaveClass(/opacity-60/);
  await a.page.reload();
  await settled(a.page);
  await expect(card(a.page, first).getByTestId("favorite-toggle")).toHaveAttribute("aria-pressed", "true");

  await a.context.close();
});
