import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decryptToken } from "~/server/token-crypto";
import { X_PROVIDER } from "~/server/x/tokens";
import { startHarness, type Harness } from "~/testing/harness";
import { SEEDED_ACCOUNTS } from "../sandbox/app";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ pageSize: 90 });
});
afterAll(async () => {
  await h?.close();
});

async function stats(xId: string) {
  return h.control<{ apiCalls: { bookmarks: number; me: number } }>("GET", `/users/${xId}/stats`);
}

describe("sync (worker + BullMQ + Postgres + X sandbox)", () => {
  it("a full sync of 800 bookmarks lands exactly 800 rows once, in X's order", async () => {
    const user = await h.createUser(800);
    const { runId, created } = await h.caller(user.id).sync.start({ mode: "full" });
    expect(created).toBe(true);
    const run = await h.waitForRun(runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 800, created: 800, updated: 0, skipped: 0, pages: 9, apiCalls: 9 });
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(800);

    // Again: nothing new, nothing duplicated.
    const again = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(again).toMatchObject({ status: "SUCCEEDED", fetched: 800, created: 0 });
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(800);
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });

  it("stores each post once however many users bookmarked it", async () => {
    // The seeded demo and hana_dev accounts have bookmarked some of the same posts.
    const demo = await h.linkXAccount(SEEDED_ACCOUNTS.find((a) => a.username === "demo")!);
    const hana = await h.linkXAccount(SEEDED_ACCOUNTS.find((a) => a.username === "hana_dev")!);
    const [demoIds, hanaIds] = [await h.sandboxIds(demo.xId), await h.sandboxIds(hana.xId)];
    const shared = demoIds.filter((id) => hanaIds.includes(id));
    expect(shared.length).toBeGreaterThan(0);

    await Promise.all([
      h.waitForRun((await h.caller(demo.id).sync.start({ mode: "full" })).runId),
      h.waitForRun((await h.caller(hana.id).sync.start({ mode: "full" })).runId),
    ]);
    const all = [...new Set([...demoIds, ...hanaIds])];
    expect(await h.db.post.count({ where: { id: { in: all } } })).toBe(all.length);
    expect(await h.db.bookmark.count({ where: { postId: { in: shared }, userId: { in: [demo.id, hana.id] } } })).toBe(shared.length * 2);
    // One row per post, whoever else bookmarked it too.
    const rows = await h.db.post.groupBy({ by: ["id"], where: { id: { in: shared } }, _count: true });
    expect(rows.every((r) => r._count === 1)).toBe(true);
    expect(await h.libraryIds(hana.id)).toEqual(hanaIds);
  });

  it("an incremental sync after 25 new bookmarks adds exactly 25 and stops early", async () => {
    const user = await h.createUser(800);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    const callsBefore = (await stats(user.xId)).apiCalls.bookmarks;

    const { added } = await h.control<{ added: string[] }>("POST", `/users/${user.xId}/bookmarks`, { count: 25 });
    expect(added).toHaveLength(25);
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "incremental" })).runId);

    // Page 1 holds the 25 new and 65 known; page 2 is all known, so the sync stops there.
    expect(run).toMatchObject({ status: "SUCCEEDED", created: 25, pages: 2, apiCalls: 2 });
    expect((await stats(user.xId)).apiCalls.bookmarks - callsBefore).toBe(2);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(825);
    // The new ones sort first, in X's order, above everything seen before.
    const library = await h.libraryIds(user.id);
    expect(library.slice(0, 25)).toEqual(added.length === 25 ? (await h.sandboxIds(user.xId)).slice(0, 25) : []);
    expect(library.slice(0, 90)).toEqual((await h.sandboxIds(user.xId)).slice(0, 90));
  });

  it("two concurrent starts make one run and one job", async () => {
    const user = await h.createUser(50);
    const caller = h.caller(user.id);
    const [a, b] = await Promise.all([caller.sync.start({ mode: "full" }), caller.sync.start({ mode: "full" })]);
    expect(a.runId).toBe(b.runId);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(await h.db.syncRun.count({ where: { userId: user.id } })).toBe(1);
    const jobs = await h.services.syncQueue.getJobs(["waiting", "active", "delayed", "prioritized", "completed"]);
    const mine = jobs.filter((j) => j.data.userId === user.id);
    expect(mine).toHaveLength(1);
    // Job payloads carry ids only: tokens stay encrypted in Postgres.
    expect(mine[0]!.data).toEqual({ userId: user.id, runId: a.runId, mode: "full", trigger: "manual" });
    await h.waitForRun(a.runId);
  });

  it("refreshes an expired access token mid-sync and persists the rotated pair", async () => {
    const user = await h.createUser(800);
    const before = await h.db.account.findFirstOrThrow({ where: { userId: user.id, provider: X_PROVIDER } });
    const oldRefresh = decryptToken(before.refresh_token!, h.tokens.key, user.id);
    const oldAccess = decryptToken(before.access_token!, h.tokens.key, user.id);

    await h.control("PUT", "/faults", { latencyMs: 80 });
    const { runId } = await h.caller(user.id).sync.start({ mode: "full" });
    // Once two pages are in, every access token issued so far stops working.
    for (;;) {
      const r = await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } });
      if (r.pages >= 2) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    await h.control("PUT", "/faults", { expireTokens: true });
    await h.control("PUT", "/faults", {});
    const run = await h.waitForRun(runId);

    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 800, created: 800 });
    const after = await h.db.account.findFirstOrThrow({ where: { userId: user.id, provider: X_PROVIDER } });
    const newRefresh = decryptToken(after.refresh_token!, h.tokens.key, user.id);
    const newAccess = decryptToken(after.access_token!, h.tokens.key, user.id);
    expect(newAccess).not.toBe(oldAccess);
    expect(newRefresh).not.toBe(oldRefresh);
    expect(after.needsReauthAt).toBeNull();
    // Stored encrypted, never in plaintext.
    expect(after.refresh_token).not.toContain(newRefresh);
    // X rotated: the old refresh token is dead, the stored one works.
    const refresh = (token: string) =>
      fetch(h.x.tokenUrl, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${h.x.clientId}:${h.x.clientSecret}`).toString("base64")}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: token }),
      });
    expect((await refresh(oldRefresh)).status).toBe(400);
    expect((await refresh(newRefresh)).status).toBe(200);
  });

  it("marks the account for re-login when the refresh token is refused, and stops without retrying", async () => {
    const user = await h.createUser(10);
    const account = await h.db.account.findFirstOrThrow({ where: { userId: user.id } });
    // Revoke the refresh token at X, and make the access token look expired.
    await fetch(h.x.revokeUrl, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${h.x.clientId}:${h.x.clientSecret}`).toString("base64")}`,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: decryptToken(account.refresh_token!, h.tokens.key, user.id), token_type_hint: "refresh_token" }),
    });
    await h.db.account.update({ where: { id: account.id }, data: { expires_at: 1 } });

    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run.status).toBe("FAILED");
    expect(run.error).toMatch(/log in with X again/i);
    expect((await h.db.account.findUniqueOrThrow({ where: { id: account.id } })).needsReauthAt).not.toBeNull();
    const status = await h.caller(user.id).sync.status();
    expect(status.needsReauth).toBe(true);
    await expect(h.caller(user.id).sync.start({ mode: "incremental" })).rejects.toThrow(/Log in with X again/);
  });

  it("retries X's server errors and still completes", async () => {
    const user = await h.createUser(200);
    await h.control("PUT", "/faults", { errorRate: 0.3, errorStatus: 503 });
    try {
      const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId, 60_000);
      expect(run).toMatchObject({ status: "SUCCEEDED", created: 200, fetched: 200, skipped: 0 });
      expect(run.apiCalls).toBeGreaterThan(3);
    } finally {
      await h.control("PUT", "/faults", {});
    }
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
  });
});

// Deleting a post affects every account that bookmarked it, so this runs on a sandbox of its own.
describe("sync with posts deleted on X", () => {
  let p: Harness;
  beforeAll(async () => {
    p = await startHarness({ pageSize: 90 });
  });
  afterAll(async () => {
    await p?.close();
  });

  it("saves what is valid when X reports deleted posts, and records them on the run", async () => {
    const user = await p.createUser(40);
    const ids = await p.sandboxIds(user.xId);
    await p.control("DELETE", `/posts/${ids[3]}`);
    await p.control("DELETE", `/posts/${ids[17]}`);
    const run = await p.waitForRun((await p.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 38, created: 38, skipped: 2 });
    const errors = run.errors as { kind: string; postId: string }[];
    expect(
      errors
        .filter((e) => e.kind === "skipped")
        .map((e) => e.postId)
        .sort(),
    ).toEqual([ids[3], ids[17]].sort());
    const library = await p.libraryIds(user.id);
    expect(library).toEqual(ids.filter((id) => id !== ids[3] && id !== ids[17]));
  });
});
