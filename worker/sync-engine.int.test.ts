/**
 * The sync engine under load and over time: the shared circuit breaker, concurrency, the queue
 * cap, the freshness scheduler and throttled progress. Real Postgres, Redis, BullMQ and sandbox.
 */
import { TRPCError } from "@trpc/server";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { channels, syncProgressEvent, type SyncProgressEvent } from "~/server/sync/events";
import { enqueueStaleSyncs, nextScheduledSync } from "~/server/sync/freshness";
import { progressEvent, ProgressPublisher } from "~/server/sync/progress";
import { FRESHNESS_SCAN_EVERY_MS, syncPriority } from "~/server/sync/queue";
import { startHarness, type Harness } from "~/testing/harness";
import type { TestUser } from "~/testing/link-account";
import { until } from "~/testing/until";
import type { BreakerSnapshot } from "./x-breaker";

describe("circuit breaker", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90, concurrency: 3, breaker: { failures: 5, halfOpenAfterMs: 1_500, successesToClose: 3 } });
  });
  afterAll(async () => {
    await h?.control("PUT", "/faults", {});
    await h?.close();
  });

  it("a 429 storm opens the breaker; jobs are delayed, not failed, and complete once X recovers", async () => {
    const users = await Promise.all([h.createUser(200), h.createUser(200), h.createUser(200)]);
    const changes: BreakerSnapshot[] = [];
    h.breaker.onChange((s) => changes.push(s));
    // Every request is refused: the window allows nothing and resets each second.
    await h.control("PUT", "/faults", { rateLimit: { limit: 0, windowSeconds: 1 } });
    const runIds = await Promise.all(users.map(async (u) => (await h.caller(u.id).sync.start({ mode: "full" })).runId));

    await until("the breaker to open", async () => changes.some((c) => c.state === "open"), 30_000);
    const open = h.breaker.snapshot();
    expect(open.opens).toBeGreaterThanOrEqual(1);
    // While open, the jobs wait in BullMQ's delayed set with the runs saying why and until when.
    await until(
      "a run held back by the breaker",
      async () => (await h.db.syncRun.count({ where: { id: { in: runIds }, waitKind: "breaker" } })) > 0,
    );
    await h.control("PUT", "/faults", {});

    const runs = await Promise.all(runIds.map((id) => h.waitForRun(id, 40_000)));
    for (const [i, run] of runs.entries()) {
      expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 200, created: 200 });
      expect(await h.libraryIds(users[i]!.id)).toEqual(await h.sandboxIds(users[i]!.xId));
      // Waiting is never a failed attempt.
      expect((run.errors as { kind: string }[]).filter((e) => e.kind !== "skipped")).toEqual([]);
    }
    // Half-open after the pause, closed again after 3 successful calls.
    expect(changes.map((c) => c.state)).toContain("half_open");
    expect(h.breaker.snapshot().state).toBe("closed");
  });
});

describe("concurrency, queue cap and priorities", () => {
  it("three users sync at once on a worker with concurrency 2: never more than 2 run, all complete exactly", async () => {
    const h = await startHarness({ pageSize: 90, concurrency: 2 });
    try {
      await h.control("PUT", "/faults", { latencyMs: 30 });
      const users = await Promise.all([h.createUser(300), h.createUser(300), h.createUser(300)]);
      const runIds = await Promise.all(users.map(async (u) => (await h.caller(u.id).sync.start({ mode: "full" })).runId));
      let maxActive = 0;
      const sampler = setInterval(() => {
        void h.services.syncQueue.getActiveCount().then((n) => (maxActive = Math.max(maxActive, n)));
      }, 20);
      const runs = await Promise.all(runIds.map((id) => h.waitForRun(id, 40_000))).finally(() => clearInterval(sampler));
      expect(maxActive).toBeGreaterThan(0);
      expect(maxActive).toBeLessThanOrEqual(2);
      for (const [i, run] of runs.entries()) {
        expect(run).toMatchObject({ status: "SUCCEEDED", fetched: 300, created: 300 });
        expect(await h.libraryIds(users[i]!.id)).toEqual(await h.sandboxIds(users[i]!.xId));
      }
      // The third started only when one of the first two had finished.
      const sorted = [...runs].sort((a, b) => a.startedAt!.getTime() - b.startedAt!.getTime());
      const firstDone = Math.min(sorted[0]!.finishedAt!.getTime(), sorted[1]!.finishedAt!.getTime());
      expect(sorted[2]!.startedAt!.getTime()).toBeGreaterThanOrEqual(firstDone - 50);
    } finally {
      await h.control("PUT", "/faults", {});
      await h.close();
    }
  });

  it("past the queue cap, sync.start answers TOO_MANY_REQUESTS with when to retry; de-duplication still answers", async () => {
    const h = await startHarness({ pageSize: 90, worker: false, queueCap: 2 });
    try {
      const [a, b, c] = await Promise.all([h.createUser(10), h.createUser(10), h.createUser(10)]);
      const first = await h.caller(a.id).sync.start({ mode: "incremental" });
      await h.caller(b.id).sync.start({ mode: "full" });
      const refused = await h
        .caller(c.id)
        .sync.start({ mode: "incremental" })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(TRPCError);
      expect((refused as TRPCError).code).toBe("TOO_MANY_REQUESTS");
      expect((refused as TRPCError).message).toMatch(/busy.*try again in \d+ s/i);
      expect(await h.db.syncRun.count({ where: { userId: c.id } })).toBe(0);
      // A user whose sync is already queued gets that run back, cap or not.
      const again = await h.caller(a.id).sync.start({ mode: "incremental" });
      expect(again).toMatchObject({ runId: first.runId, created: false });
      // Manual syncs outrank full ones, which outrank scheduled ones.
      expect((await h.services.syncQueue.getJob(first.runId))!.opts.priority).toBe(syncPriority("incremental", "manual"));
      expect(syncPriority("incremental", "manual")).toBeLessThan(syncPriority("full", "manual"));
      expect(syncPriority("full", "manual")).toBeLessThan(syncPriority("incremental", "scheduled"));
    } finally {
      await h.close();
    }
  });
});

describe("freshness scheduler", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ pageSize: 90, worker: false });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("enqueues low-priority incremental syncs for stale users only", async () => {
    const hoursAgo = (n: number) => new Date(Date.now() - n * 3600_000);
    const users = await Promise.all(Array.from({ length: 7 }, () => h.createUser(5)));
    const [stale, fresh, off, never, busy, failing, reauth] = users as [
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
      TestUser,
    ];
    await h.db.user.update({ where: { id: stale.id }, data: { lastSyncedAt: hoursAgo(2) } }); // default window: 60 min
    await h.db.user.update({ where: { id: fresh.id }, data: { lastSyncedAt: hoursAgo(0.5) } });
    await h.db.user.update({ where: { id: off.id }, data: { lastSyncedAt: hoursAgo(48), freshnessMinutes: null } });
    await h.db.user.update({ where: { id: busy.id }, data: { lastSyncedAt: hoursAgo(2) } });
    await h.db.syncRun.create({ data: { userId: busy.id, mode: "INCREMENTAL", status: "RUNNING" } });
    await h.db.user.update({ where: { id: failing.id }, data: { lastSyncedAt: hoursAgo(5) } });
    await h.db.syncRun.create({ data: { userId: failing.id, mode: "INCREMENTAL", status: "FAILED", finishedAt: hoursAgo(0.2) } });
    await h.db.user.update({ where: { id: reauth.id }, data: { lastSyncedAt: hoursAgo(5) } });
    await h.db.account.updateMany({ where: { userId: reauth.id }, data: { needsReauthAt: new Date() } });

    const mine = [stale, fresh, off, never, busy, failing, reauth].map((u) => u.id);
    const result = await enqueueStaleSyncs({ ...h.services, queueCap: 100 });
    expect(result.busy).toBe(false);
    const scheduled = await h.db.syncRun.findMany({ where: { userId: { in: mine }, trigger: "SCHEDULED" } });
    expect(scheduled.map((r) => r.userId)).toEqual([stale.id]);
    expect(scheduled[0]).toMatchObject({ mode: "INCREMENTAL", status: "QUEUED" });
    const job = await h.services.syncQueue.getJob(scheduled[0]!.id);
    expect(job!.data).toMatchObject({ userId: stale.id, mode: "incremental", trigger: "scheduled" });
    expect(job!.opts.priority).toBe(syncPriority("incremental", "scheduled"));

    // A second scan does not queue the same user twice.
    await enqueueStaleSyncs({ ...h.services, queueCap: 100 });
    expect(await h.db.syncRun.count({ where: { userId: stale.id } })).toBe(1);
  });

  it("says when the next scheduled sync will happen", () => {
    const now = Date.parse("2026-11-24T12:00:00Z");
    const tick = now + 3 * 60_000; // the scheduler's next scan
    const at = (iso: string) => new Date(iso);
    // Stale already: the next scan.
    expect(nextScheduledSync({ freshnessMinutes: 60, lastSyncedAt: at("2026-11-24T10:00:00Z") }, tick, now)!.getTime()).toBe(tick);
    // Stale at 12:50: the first scan at or after that.
    const next = nextScheduledSync({ freshnessMinutes: 60, lastSyncedAt: at("2026-11-24T11:50:00Z") }, tick, now)!.getTime();
    expect(next).toBeGreaterThanOrEqual(Date.parse("2026-11-24T12:50:00Z"));
    expect(next - Date.parse("2026-11-24T12:50:00Z")).toBeLessThan(FRESHNESS_SCAN_EVERY_MS);
    expect((next - tick) % FRESHNESS_SCAN_EVERY_MS).toBe(0);
    // Off, never synced, or no scheduler: nothing to promise.
    expect(nextScheduledSync({ freshnessMinutes: null, lastSyncedAt: at("2026-11-24T10:00:00Z") }, tick, now)).toBeNull();
    expect(nextScheduledSync({ freshnessMinutes: 60, lastSyncedAt: null }, tick, now)).toBeNull();
    expect(nextScheduledSync({ freshnessMinutes: 60, lastSyncedAt: at("2026-11-24T10:00:00Z") }, null, now)).toBeNull();
  });

  it("lets a user choose the window or turn scheduled syncs off, and refuses other values", async () => {
    const user = await h.createUser(1);
    const caller = h.caller(user.id);
    expect(await caller.sync.setFreshness({ minutes: 180 })).toEqual({ freshnessMinutes: 180 });
    expect(await caller.sync.setFreshness({ minutes: null })).toEqual({ freshnessMinutes: null });
    expect((await caller.sync.status()).freshnessMinutes).toBeNull();
    await expect(caller.sync.setFreshness({ minutes: 7 })).rejects.toThrow(/choose one of/);
  });
});

describe("progress events", () => {
  it("are throttled to at most 4 a second per run, and the latest state always goes out", async () => {
    const pub = new Redis(env.REDIS_URL);
    const sub = new Redis(env.REDIS_URL);
    const received: { at: number; e: SyncProgressEvent }[] = [];
    try {
      const h = await startHarness({ worker: false });
      const user = await h.createUser(1);
      const run = await h.db.syncRun.create({ data: { userId: user.id, mode: "FULL", status: "RUNNING", startedAt: new Date() } });
      sub.on("message", (_c: string, m: string) => received.push({ at: Date.now(), e: syncProgressEvent.parse(JSON.parse(m)) }));
      await sub.subscribe(channels.syncProgress(user.id));
      const publisher = new ProgressPublisher(pub);
      const started = Date.now();
      // 100 events in ~1 s, phases alternating, then the final one.
      for (let i = 0; i < 100; i++) {
        void publisher.publish(progressEvent({ ...run, pages: i, fetched: i * 10 }, i % 2 ? "fetching" : "saving"));
        await new Promise((r) => setTimeout(r, 10));
      }
      await publisher.publish(progressEvent({ ...run, pages: 100, fetched: 1000 }, "done"));
      const elapsed = Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
      expect(received.at(-1)!.e).toMatchObject({ phase: "done", pages: 100 });
      expect(received.length).toBeLessThanOrEqual(Math.ceil(elapsed / 250) + 1);
      for (let i = 1; i < received.length; i++) expect(received[i]!.at - received[i - 1]!.at).toBeGreaterThanOrEqual(240);
      // In order: pages never go backwards.
      const pages = received.map((r) => r.e.pages);
      expect(pages).toEqual([...pages].sort((a, b) => a - b));
      await h.close();
    } finally {
      pub.disconnect();
      sub.disconnect();
    }
  });
});
