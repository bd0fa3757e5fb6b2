import { afterEach, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./app";
import { SEEDED_ACCOUNTS } from "./data";
import { apiGet, bookmarksPage, control, mint, sandbox, tokenRequest, type Tokens } from "./test-utils";

const DEMO = SEEDED_ACCOUNTS[0]!.id;
const PAGE_PARAMS = { max_results: "100", "tweet.fields": "created_at,author_id,entities", expansions: "author_id,attachments.media_keys" };
let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("faults on the X API routes", () => {
  it("PUT /_sandbox/faults answers the current faults; {} clears them", async () => {
    const sb = sandbox();
    const set = await control(sb, "PUT", "/faults", { latencyMs: 10, errorRate: 0.5, rateLimit: { limit: 5, windowSeconds: 2 } });
    expect(set).toEqual({
      status: 200,
      body: { latencyMs: 10, errorRate: 0.5, errorStatus: 503, rateLimit: { limit: 5, windowSeconds: 2 } },
    });
    expect((await control(sb, "PUT", "/faults", {})).body).toEqual({});
    expect((await control(sb, "PUT", "/faults", { errorRate: 2 })).status).toBe(400);
    expect((await control(sb, "PUT", "/faults", { latency: 5 })).status).toBe(400);
  });

  it("latencyMs delays each answer", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { latencyMs: 150 });
    const started = performance.now();
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("errorRate answers errorStatus as a problem, on the X API routes only", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { errorRate: 1, errorStatus: 500 });
    const res = await apiGet(sb, `/2/users/${DEMO}/bookmarks`, t.access_token);
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({ status: 500, title: "Internal Server Error" });
    // OAuth and control routes are never faulted.
    expect((await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).status).toBe(200);
    expect((await control(sb, "GET", `/users/${DEMO}/bookmarks`)).status).toBe(200);

    await control(sb, "PUT", "/faults", { errorRate: 1 });
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(503);
    // Calls are counted even when they fail.
    expect((await control<{ apiCalls: unknown }>(sb, "GET", `/users/${DEMO}/stats`)).body.apiCalls).toEqual({
      bookmarks: 1,
      me: 1,
      tweets: 0,
      folders: 0,
      bookmarkWrites: 0,
    });
  });

  it("an errorRate of 0.3 fails roughly 30% of requests", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { errorRate: 0.3 });
    let failed = 0;
    for (let i = 0; i < 60; i++) if ((await apiGet(sb, "/2/users/me", t.access_token)).status === 503) failed++;
    expect(failed).toBeGreaterThan(6);
    expect(failed).toBeLessThan(35);
  });

  it("timeoutRate holds the request until the client gives up, without leaking timers", async () => {
    const sb = sandbox();
    running = await sb.listen(0);
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { timeoutRate: 1 });
    const started = performance.now();
    await expect(
      fetch(`${running.url}/2/users/me`, { headers: { authorization: `Bearer ${t.access_token}` }, signal: AbortSignal.timeout(300) }),
    ).rejects.toThrow();
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    // The server notices the disconnect and lets go of the request.
    for (let i = 0; i < 50 && sb.faults.pending > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(sb.faults.pending).toBe(0);

    // One still held when the sandbox closes is released at once.
    const held = fetch(`${running.url}/2/users/me`, { headers: { authorization: `Bearer ${t.access_token}` } }).catch(() => null);
    for (let i = 0; i < 50 && sb.faults.pending === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(sb.faults.pending).toBe(1);
    const closing = performance.now();
    await running.close();
    running = undefined;
    await held;
    expect(performance.now() - closing).toBeLessThan(1000);
    expect(sb.faults.pending).toBe(0);
  });

  it("expireTokens expires every access token issued so far; refresh tokens and later tokens work", async () => {
    const sb = sandbox();
    const a = await mint(sb, DEMO);
    const b = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { latencyMs: 5 });
    const answer = await control(sb, "PUT", "/faults", { expireTokens: true });
    expect(answer.body).toEqual({});
    expect((await apiGet(sb, "/2/users/me", a.access_token)).status).toBe(401);
    expect((await apiGet(sb, "/2/users/me", b.access_token)).status).toBe(401);
    const r = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: a.refresh_token! });
    expect(r.status).toBe(200);
    expect((await apiGet(sb, "/2/users/me", ((await r.json()) as Tokens).access_token)).status).toBe(200);
    expect((await apiGet(sb, "/2/users/me", (await mint(sb, DEMO)).access_token)).status).toBe(200);
  });

  it("rateLimit applies a short window to every endpoint and is cleared with {}", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    await control(sb, "PUT", "/faults", { rateLimit: { limit: 1, windowSeconds: 0.2 } });
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(200);
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(429);
    await new Promise((r) => setTimeout(r, 250));
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(200);
    await control(sb, "PUT", "/faults", {});
    const res = await apiGet(sb, "/2/users/me", t.access_token);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-rate-limit-limit")).toBe("75");
  });

  it("usageCapped answers every X API route 429 usage-capped, with the rate-limit headers, until cleared with {}", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const set = await control(sb, "PUT", "/faults", { usageCapped: "Monthly" });
    expect(set).toEqual({ status: 200, body: { usageCapped: "Monthly" } });
    expect((await control(sb, "GET", "/faults")).body).toEqual({ usageCapped: "Monthly" });

    for (const path of [`/2/users/${DEMO}/bookmarks`, "/2/users/me"]) {
      const res = await apiGet(sb, path, t.access_token);
      expect(res.status).toBe(429);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.headers.get("x-rate-limit-limit")).toMatch(/^\d+$/);
      expect(Number(res.headers.get("x-rate-limit-remaining"))).toBeGreaterThan(0);
      expect(res.headers.get("x-rate-limit-reset")).toMatch(/^\d+$/);
      expect(await res.json()).toEqual({
        title: "UsageCapExceeded",
        detail: "Usage cap exceeded: Monthly product cap",
        type: "https://api.x.com/2/problems/usage-capped",
        period: "Monthly",
        scope: "Product",
        status: 429,
      });
    }
    // A bad token is still a 401; OAuth and control routes are never capped.
    expect((await apiGet(sb, "/2/users/me", "nope")).status).toBe(401);
    expect((await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).status).toBe(200);
    expect((await control(sb, "GET", `/users/${DEMO}/stats`)).status).toBe(200);

    await control(sb, "PUT", "/faults", { usageCapped: "Daily" });
    const t2 = await mint(sb, DEMO);
    expect(await (await apiGet(sb, "/2/users/me", t2.access_token)).json()).toMatchObject({ period: "Daily", status: 429 });

    expect((await control(sb, "PUT", "/faults", {})).body).toEqual({});
    expect((await apiGet(sb, "/2/users/me", t2.access_token)).status).toBe(200);
  });

  it("malformedRate 1 drops text and author_id from every post, keeping ids, includes and meta", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const intact = await bookmarksPage(sb, DEMO, t.access_token, PAGE_PARAMS);
    const set = await control(sb, "PUT", "/faults", { malformedRate: 1 });
    expect(set).toEqual({ status: 200, body: { malformedRate: 1 } });
    expect((await control(sb, "GET", "/faults")).body).toEqual({ malformedRate: 1 });

    const page = await bookmarksPage(sb, DEMO, t.access_token, PAGE_PARAMS);
    expect(page.data).toHaveLength(100);
    expect(page.data!.map((p) => p.id)).toEqual(intact.data!.map((p) => p.id));
    for (const [i, p] of page.data!.entries()) {
      expect(p).not.toHaveProperty("text");
      expect(p).not.toHaveProperty("author_id");
      const { text: _text, author_id: _author, ...rest } = intact.data![i]!;
      expect(p).toEqual(rest);
    }
    expect(page.includes).toEqual(intact.includes);
    expect(page.meta).toEqual(intact.meta);

    // The cache was not poisoned: cleared, the same page is whole again.
    await control(sb, "PUT", "/faults", {});
    expect(await bookmarksPage(sb, DEMO, t.access_token, PAGE_PARAMS)).toEqual(intact);
  });

  it("malformedRate 0 or absent leaves every post intact; 0.5 breaks some, deterministically per seed", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const whole = (page: Awaited<ReturnType<typeof bookmarksPage>>) =>
      page.data!.every((p) => typeof p.text === "string" && typeof p.author_id === "string");
    expect(whole(await bookmarksPage(sb, DEMO, t.access_token, PAGE_PARAMS))).toBe(true);
    expect((await control(sb, "PUT", "/faults", { malformedRate: 0 })).body).toEqual({});
    expect(whole(await bookmarksPage(sb, DEMO, t.access_token, PAGE_PARAMS))).toBe(true);

    const broken = async () => {
      const box = sandbox();
      const tok = await mint(box, DEMO);
      await control(box, "PUT", "/faults", { malformedRate: 0.5 });
      const page = await bookmarksPage(box, DEMO, tok.access_token, PAGE_PARAMS);
      return page.data!.filter((p) => !("text" in p)).map((p) => p.id);
    };
    const first = await broken();
    expect(first.length).toBeGreaterThan(20);
    expect(first.length).toBeLessThan(80);
    expect(await broken()).toEqual(first);
  });

  it("rejects bad usageCapped and malformedRate values with a 400 problem", async () => {
    const sb = sandbox();
    await control(sb, "PUT", "/faults", { latencyMs: 5 });
    for (const bad of [
      { malformedRate: 2 },
      { malformedRate: -0.1 },
      { malformedRate: "0.5" },
      { usageCapped: "Weekly" },
      { usageCapped: true },
    ]) {
      const res = await sb.app.request("/_sandbox/faults", {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(bad),
      });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 400, title: "Invalid Request" });
    }
    // A rejected PUT leaves the faults as they were.
    expect((await control(sb, "GET", "/faults")).body).toEqual({ latencyMs: 5 });
  });
});
