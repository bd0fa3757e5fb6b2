import { expect, test, type Page } from "./fixtures";
import { SANDBOX_URL } from "../playwright.config";
import { card, logInWithX, settled } from "./app";
import { createXAccount, sandbox } from "./sandbox";

interface Page1 {
  data?: { id: string; attachments?: { media_keys?: string[] } }[];
  includes?: { media?: { media_key: string; type: string; url?: string }[] };
}

/** A photo post and a video post among the account's bookmarks, as X's API lists them. */
async function mediaPosts(xId: string) {
  const t = await sandbox<{ access_token: string }>("POST", "/tokens", {
    userId: xId,
    scopes: ["tweet.read", "users.read", "bookmark.read"],
  });
  const res = await fetch(
    `${SANDBOX_URL}/2/users/${xId}/bookmarks?max_results=100&tweet.fields=attachments&expansions=attachments.media_keys&media.fields=type,url`,
    {
      headers: { authorization: `Bearer ${t.access_token}` },
    },
  );
  const page = (await res.json()) as Page1;
  const media = new Map((page.includes?.media ?? []).map((m) => [m.media_key, m]));
  const first = (type: string) => page.data!.find((p) => media.get(p.attachments?.media_keys?.[0] ?? "")?.type === type)!;
  const photo = first("photo");
  return { photo: photo.id, photoUrl: media.get(photo.attachments!.media_keys![0]!)!.url!, video: first("video").id };
}

/** Waits until the sync panel says every media file is archived. */
async function archived(page: Page) {
  // Files counted (not the "0 of 0" an account shows before its sync's media are queued), all done.
  await expect(page.getByTestId("media-archive-progress")).toContainText(/of [1-9][\d,]* files? \(100%\)/, { timeout: 90_000 });
  await expect(page.getByTestId("media-archive-progress")).not.toContainText("to fetch");
}

test("a post deleted on X keeps its text and image here; an archived video plays and seeks", async ({ page }) => {
  test.setTimeout(240_000);
  const account = await createXAccount(80);
  const posts = await mediaPosts(account.id);
  await logInWithX(page, account.username);
  await expect(page.getByTestId("empty-library")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Live" })).toBeVisible();
  await page.getByRole("button", { name: "Sync", exact: true }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await archived(page);

  // The author deletes the photo post: X's image URL stops working; a full sync notices.
  const text = await card(page, posts.photo).getByTestId("post-text").textContent();
  await sandbox("DELETE", `/posts/${posts.photo}`);
  expect((await fetch(`${posts.photoUrl}?name=orig`)).status).toBe(404);
  await page.getByRole("button", { name: "Full sync" }).click();
  await expect(page.getByTestId("sync-summary")).toContainText("Sync complete", { timeout: 60_000 });
  await page.reload();
  await page.getByTestId("search-input").fill("is:deleted");
  await expect(page.getByTestId("result-count")).toHaveText("1 result");
  await settled(page);
  const deleted = card(page, posts.photo);
  await expect(deleted.getByTestId("deleted-on-x")).toContainText("Deleted on X (noticed");
  await expect(deleted.getByTestId("post-text")).toHaveText(text!);
  // The post's own picture (the card may also show a quoted post, with its author's avatar).
  const img = deleted.getByTestId("media-image").first();
  await expect(img).toHaveAttribute("src", /^\/api\/media\/[0-9a-f]{64}$/);
  await img.scrollIntoViewIfNeeded();
  await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);

  // The video plays from the archive and seeks (the media route answers range requests).
  await page.getByTestId("search-input").fill("has:media -is:deleted");
  await expect(page.getByTestId("result-count")).toHaveText(/results?$/);
  await settled(page);
  // The list is virtualised: scroll down to the card, as a person would.
  await expect
    .poll(async () => (await card(page, posts.video).count()) > 0 || void (await page.mouse.wheel(0, 600)), {
      intervals: [100],
      timeout: 30_000,
    })
    .toBe(true);
  const video = card(page, posts.video).getByTestId("archived-video");
  await video.scrollIntoViewIfNeeded();
  await expect(video).toHaveAttribute("src", /^\/api\/media\/[0-9a-f]{64}$/);
  const played = await video.evaluate(async (el: HTMLVideoElement) => {
    el.muted = true;
    await el.play();
    await new Promise((r) => setTimeout(r, 600));
    const during = el.currentTime;
    el.pause();
    const seeked = new Promise((r) => el.addEventListener("seeked", r, { once: true }));
    el.currentTime = 1.5;
    await seeked;
    return { duration: el.duration, during, after: el.currentTime, error: el.error?.code ?? null };
  });
  expect(played.error).toBeNull();
  expect(played.duration).toBeGreaterThan(1.5);
  expect(played.during).toBeGreaterThan(0);
  expect(played.after).toBeCloseTo(1.5, 1);
});
