import { afterEach, describe, expect, it } from "vitest";
import type { RunningSandbox } from "./app";
import { SEEDED_ACCOUNTS } from "./data";
import { apiGet, control, mint, sandbox, tokenRequest, type Tokens } from "./test-utils";

const DEMO = SEEDED_ACCOUNTS[0]!.id;
let running: RunningSandbox | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

describe("faults on the X API routes", () => {
  it("PUT /_sandbox/faults answers the current faults; {} clears them", async () => {
    const sb = sandbox();
    const set = await control(sb, "PUT", "/faults", { latencyMs: 10, errorRate: 0.5, rateLimit: { limit: 5, windowSeconds: 2 } });
    expect(set).toEqual({ status: 200, body: { latencyMs: 10, errorRate: 0.5, errorStatus: 503, rateLimit: { limit: 5, windowSeconds: 2 } } });
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
    expect((await control<{ apiCalls: unknown }>(sb, "GET", `/users/${DEMO}/stats`)).body.apiCalls).toEqual({ bookmarks: 1, me: 1 });
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
});
