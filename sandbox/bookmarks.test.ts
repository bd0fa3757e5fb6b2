import { describe, expect, it } from "vitest";
import { SEEDED_ACCOUNTS } from "./data";
import { PROBLEM_BASE } from "./problems";
import { allPages, apiGet, bookmarksPage, control, createUser, manualClock, mint, sandbox, type Page } from "./test-utils";

const DEMO = SEEDED_ACCOUNTS[0]!.id;
const APP_FIELDS = {
  "tweet.fields": "created_at,lang,entities,public_metrics,attachments,author_id,conversation_id,possibly_sensitive,note_tweet",
  expansions: "author_id,attachments.media_keys",
  "user.fields": "name,username,profile_image_url,verified,description",
  "media.fields": "url,preview_image_url,type,width,height,alt_text,duration_ms,variants",
};

async function truth(sb: ReturnType<typeof sandbox>, userId: string): Promise<string[]> {
  return (await control<{ ids: string[] }>(sb, "GET", `/users/${userId}/bookmarks`)).body.ids;
}
const ids = (pages: Page[]) => pages.flatMap((p) => (p.data ?? []).map((d) => d.id));

describe("GET /2/users/:id/bookmarks pagination", () => {
  it("pages through all 800 of demo's bookmarks in X's order, without duplicates", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const pages = await allPages(sb, DEMO, t.access_token, { ...APP_FIELDS, max_results: "90" });
    expect(pages).toHaveLength(9);
    const got = ids(pages);
    expect(got).toHaveLength(800);
    expect(new Set(got).size).toBe(800);
    expect(got).toEqual(await truth(sb, DEMO));
    for (const p of pages) expect(p.meta.result_count).toBe(p.data!.length);
    expect(pages.at(-1)!.meta).not.toHaveProperty("next_token");
    expect(pages[0]!.meta).not.toHaveProperty("previous_token");
    expect(pages[1]!.meta.previous_token).toEqual(expect.any(String));
  });

  it("returns 100 per page when max_results is absent", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const page = await bookmarksPage(sb, DEMO, t.access_token);
    expect(page.data).toHaveLength(100);
    expect(page.meta.result_count).toBe(100);
  });

  it("reaches only the 800 most recent bookmarks; a cap of 0 reaches all", async () => {
    for (const [cap, expected] of [
      [800, 800],
      [0, 1000],
    ] as const) {
      const sb = sandbox({ bookmarkCap: cap, seedAccounts: false });
      const id = await createUser(sb, "many", 1000);
      const t = await mint(sb, id);
      const got = ids(await allPages(sb, id, t.access_token, { max_results: "100" }));
      expect(got).toEqual((await truth(sb, id)).slice(0, expected));
    }
  });

  it("keeps the cursor stable when bookmarks are added between page fetches", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "cursor", 300);
    const t = await mint(sb, id);
    const before = await truth(sb, id);
    const first = await bookmarksPage(sb, id, t.access_token, { max_results: "50" });
    const { body } = await control<{ added: string[]; total: number }>(sb, "POST", `/users/${id}/bookmarks`, { count: 7 });
    expect(body.total).toBe(307);
    const rest = await allPages(sb, id, t.access_token, { max_results: "50", pagination_token: first.meta.next_token! });
    expect([...ids([first]), ...ids(rest)]).toEqual(before);
    // The previous-page token leads back to the items just above, not to the new ones.
    const back = await bookmarksPage(sb, id, t.access_token, { max_results: "50", pagination_token: rest[0]!.meta.previous_token! });
    expect(ids([back])).toEqual(before.slice(0, 50));
    // A fresh walk sees the new ones first.
    const fresh = await bookmarksPage(sb, id, t.access_token, { max_results: "7" });
    expect(ids([fresh])).toEqual(body.added);
  });

  it("answers an empty list with only meta", async () => {
    const sb = sandbox();
    const empty = SEEDED_ACCOUNTS.find((a) => a.username === "empty_user")!.id;
    const t = await mint(sb, empty);
    expect(await bookmarksPage(sb, empty, t.access_token)).toEqual({ meta: { result_count: 0 } });
  });

  it("rejects a pagination token that is malformed or belongs to another user", async () => {
    const sb = sandbox();
    const hana = SEEDED_ACCOUNTS[1]!.id;
    const tDemo = await mint(sb, DEMO);
    const tHana = await mint(sb, hana);
    const demoToken = (await bookmarksPage(sb, DEMO, tDemo.access_token, { max_results: "5" })).meta.next_token!;
    for (const [user, tok, pt] of [
      [hana, tHana, demoToken],
      [DEMO, tDemo, "not-a-token"],
      [DEMO, tDemo, `${demoToken.slice(0, -1)}${demoToken.endsWith("a") ? "b" : "a"}`],
    ] as const) {
      const res = await apiGet(sb, `/2/users/${user}/bookmarks?pagination_token=${pt}`, tok.access_token);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { type: string }).type).toBe(`${PROBLEM_BASE}/invalid-request`);
    }
  });
});

describe("fields and expansions", () => {
  it("returns only the default fields when nothing is requested", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const page = await bookmarksPage(sb, DEMO, t.access_token, { max_results: "20" });
    expect(page).not.toHaveProperty("includes");
    for (const d of page.data!) {
      expect(Object.keys(d).sort()).toEqual(["edit_history_tweet_ids", "id", "text"]);
      expect(d.edit_history_tweet_ids).toEqual([d.id]);
    }
  });

  it("adds exactly what was requested, with includes for the expansions", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const pages = await allPages(sb, DEMO, t.access_token, { ...APP_FIELDS, max_results: "100" });
    const allowedPost = new Set(["id", "text", "edit_history_tweet_ids", ...APP_FIELDS["tweet.fields"].split(",")]);
    let withMedia = 0;
    for (const page of pages) {
      const users = new Map(page.includes!.users!.map((u) => [u.id, u]));
      const media = new Map((page.includes!.media ?? []).map((m) => [m.media_key, m]));
      for (const d of page.data!) {
        for (const k of Object.keys(d)) expect(allowedPost.has(k)).toBe(true);
        expect(d).toMatchObject({
          author_id: expect.any(String),
          created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/),
        });
        expect(["ja", "en"]).toContain(d.lang);
        expect(Object.keys(d.public_metrics as object).sort()).toEqual([
          "bookmark_count",
          "impression_count",
          "like_count",
          "quote_count",
          "reply_count",
          "retweet_count",
        ]);
        expect(users.has(d.author_id as string)).toBe(true);
        const keys = (d.attachments as { media_keys?: string[] } | undefined)?.media_keys ?? [];
        if (keys.length) withMedia++;
        for (const k of keys) expect(media.has(k)).toBe(true);
      }
      for (const u of users.values()) {
        expect(Object.keys(u).sort()).toEqual(["description", "id", "name", "profile_image_url", "username", "verified"]);
        expect(u.profile_image_url).toMatch(/^http:\/\/sandbox\.test\/media\/avatars\/\d+_normal\.jpg$/);
      }
      for (const m of media.values()) {
        expect(m.media_key).toMatch(/^(3|7|16)_\d+$/);
        if (m.type === "photo") {
          expect(m.url).toBe(`http://sandbox.test/media/${m.media_key}.jpg`);
          expect(m).not.toHaveProperty("preview_image_url");
        } else {
          expect(m.preview_image_url).toEqual(expect.stringContaining("/media/"));
          expect(m.variants).toEqual(
            expect.arrayContaining([expect.objectContaining({ content_type: "video/mp4", url: expect.any(String) })]),
          );
        }
        if (m.type === "video") expect(m.duration_ms).toEqual(expect.any(Number));
      }
    }
    // About 40% of posts have media.
    expect(withMedia / 800).toBeGreaterThan(0.3);
    expect(withMedia / 800).toBeLessThan(0.5);
  });

  it("accepts post.fields like tweet.fields, and expands referenced posts and mentions", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const pages = await allPages(sb, DEMO, t.access_token, {
      "post.fields": "referenced_tweets,entities,author_id",
      expansions: "referenced_tweets.id,referenced_tweets.id.author_id,entities.mentions.username",
      "user.fields": "username",
      max_results: "100",
    });
    let refs = 0;
    for (const page of pages) {
      const tweets = new Set((page.includes?.tweets ?? []).map((x) => x.id));
      const users = new Set((page.includes?.users ?? []).map((x) => x.id));
      for (const d of page.data!) {
        for (const r of (d.referenced_tweets as { id: string }[] | undefined) ?? []) {
          refs++;
          expect(tweets.has(r.id)).toBe(true);
        }
        for (const m of (d.entities as { mentions?: { id: string }[] } | undefined)?.mentions ?? []) expect(users.has(m.id)).toBe(true);
      }
      for (const tw of page.includes?.tweets ?? []) expect(users.has(tw.author_id as string)).toBe(true);
    }
    expect(refs).toBeGreaterThan(20);
  });
});

describe("deleted posts", () => {
  it("stay in the list and are reported in errors[] of a 200 answer", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const all = await truth(sb, DEMO);
    expect((await control(sb, "DELETE", `/posts/${all[2]}`)).status).toBe(204);
    expect((await control(sb, "DELETE", `/posts/${all[7]}`)).status).toBe(204);
    const page = await bookmarksPage(sb, DEMO, t.access_token, { max_results: "10" });
    expect(ids([page])).toEqual(all.slice(0, 10).filter((_, i) => i !== 2 && i !== 7));
    expect(page.meta.result_count).toBe(8);
    expect(page.errors).toEqual(
      [all[2], all[7]].map((id) => ({
        value: id,
        detail: `Could not find tweet with id: [${id}].`,
        title: "Not Found Error",
        resource_type: "tweet",
        parameter: "id",
        resource_id: id,
        type: `${PROBLEM_BASE}/resource-not-found`,
      })),
    );
    // Still in the ground truth, and the next page starts right after the 10th.
    expect(await truth(sb, DEMO)).toEqual(all);
    expect(ids([await bookmarksPage(sb, DEMO, t.access_token, { max_results: "5", pagination_token: page.meta.next_token! })])).toEqual(
      all.slice(10, 15),
    );
  });
});

describe("auth, scopes and bad requests", () => {
  it("needs a valid bearer token (scheme case-insensitive)", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    expect((await apiGet(sb, `/2/users/${DEMO}/bookmarks`)).status).toBe(401);
    expect((await apiGet(sb, `/2/users/${DEMO}/bookmarks`, "nope")).status).toBe(401);
    const lower = await sb.app.request("/2/users/me", { headers: { authorization: `bearer ${t.access_token}` } });
    expect(lower.status).toBe(200);
  });

  it("answers 403 for a missing scope or another user's bookmarks", async () => {
    const sb = sandbox();
    const noBookmarks = await mint(sb, DEMO, ["tweet.read", "users.read"]);
    const res = await apiGet(sb, `/2/users/${DEMO}/bookmarks`, noBookmarks.access_token);
    expect(res.status).toBe(403);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({ title: "Forbidden", type: "about:blank", status: 403, detail: "Forbidden" });
    expect((await apiGet(sb, "/2/users/me", noBookmarks.access_token)).status).toBe(200);
    const noUsers = await mint(sb, DEMO, ["tweet.read", "bookmark.read"]);
    expect((await apiGet(sb, "/2/users/me", noUsers.access_token)).status).toBe(403);

    const t = await mint(sb, DEMO);
    const other = await apiGet(sb, `/2/users/${SEEDED_ACCOUNTS[1]!.id}/bookmarks`, t.access_token);
    expect(other.status).toBe(403);
    expect(await other.json()).toMatchObject({ type: "about:blank", status: 403, title: "Forbidden" });
  });

  it("answers 400 invalid-request problems that list every bad parameter", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const res = await apiGet(sb, `/2/users/${DEMO}/bookmarks?max_results=101&tweet.fields=created_at,bogus&color=blue`, t.access_token);
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-rate-limit-limit")).toBe("180");
    const body = (await res.json()) as {
      type: string;
      title: string;
      detail: string;
      status: number;
      errors: { parameters: Record<string, string[]>; message: string }[];
    };
    expect(body).toMatchObject({
      type: `${PROBLEM_BASE}/invalid-request`,
      title: "Invalid Request",
      detail: "One or more parameters to your request was invalid.",
      status: 400,
    });
    expect(body.errors.map((e) => Object.keys(e.parameters)[0]).sort()).toEqual(["color", "max_results", "tweet.fields"]);
    expect(body.errors.find((e) => e.parameters.max_results)!.message).toBe(
      "The `max_results` query parameter value [101] is not between 1 and 100",
    );
    for (const q of ["max_results=0", "max_results=abc", "expansions=author", "user.fields=", "media.fields=url,nope"]) {
      expect((await apiGet(sb, `/2/users/${DEMO}/bookmarks?${q}`, t.access_token)).status).toBe(400);
    }
    expect((await apiGet(sb, `/2/users/abc/bookmarks`, t.access_token)).status).toBe(400);
  });

  it("honours user.fields on /2/users/me", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const res = await apiGet(
      sb,
      "/2/users/me?user.fields=profile_image_url,description,created_at,verified,public_metrics,location,url",
      t.access_token,
    );
    const { data } = (await res.json()) as { data: Record<string, unknown> };
    expect(Object.keys(data).sort()).toEqual([
      "created_at",
      "description",
      "id",
      "location",
      "name",
      "profile_image_url",
      "public_metrics",
      "url",
      "username",
      "verified",
    ]);
    expect(data.profile_image_url).toBe(`http://sandbox.test/media/avatars/${DEMO}_normal.jpg`);
  });
});

describe("rate limits", () => {
  it("sends the x-rate-limit headers on every answer, 180 per 15 minutes for bookmarks and 75 for users/me", async () => {
    const clock = manualClock();
    const sb = sandbox({ now: clock.now });
    const t = await mint(sb, DEMO);
    const a = await apiGet(sb, `/2/users/${DEMO}/bookmarks?max_results=1`, t.access_token);
    expect(a.headers.get("x-rate-limit-limit")).toBe("180");
    expect(a.headers.get("x-rate-limit-remaining")).toBe("179");
    expect(a.headers.get("x-rate-limit-reset")).toBe(String(Math.ceil((clock.now() + 15 * 60_000) / 1000)));
    const b = await apiGet(sb, "/2/users/me", t.access_token);
    expect(b.headers.get("x-rate-limit-limit")).toBe("75");
    expect(b.headers.get("x-rate-limit-remaining")).toBe("74");
  });

  it("answers 429 once the window is spent, and again after it resets", async () => {
    const clock = manualClock();
    const sb = sandbox({ now: clock.now });
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { rateLimit: { limit: 3, windowSeconds: 5 } });
    const path = `/2/users/${DEMO}/bookmarks?max_results=1`;
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await apiGet(sb, path, t.access_token);
      expect(r.status).toBe(200);
      remaining.push(r.headers.get("x-rate-limit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await apiGet(sb, path, t.access_token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(await limited.json()).toEqual({ title: "Too Many Requests", type: "about:blank", status: 429, detail: "Too Many Requests" });
    expect(limited.headers.get("x-rate-limit-remaining")).toBe("0");
    const reset = Number(limited.headers.get("x-rate-limit-reset"));
    expect(reset * 1000).toBeGreaterThan(clock.now());
    // Per endpoint: users/me has its own window.
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(200);
    clock.advance(5_000);
    const after = await apiGet(sb, path, t.access_token);
    expect(after.status).toBe(200);
    expect(after.headers.get("x-rate-limit-remaining")).toBe("2");
    const stats = await control<{
      apiCalls: { bookmarks: number; me: number };
      rateLimit: { bookmarks: { limit: number; remaining: number } };
    }>(sb, "GET", `/users/${DEMO}/stats`);
    expect(stats.body.apiCalls).toEqual({ bookmarks: 5, me: 1, tweets: 0, folders: 0, bookmarkWrites: 0 });
    expect(stats.body.rateLimit.bookmarks).toMatchObject({ limit: 3, remaining: 2 });
  });
});
