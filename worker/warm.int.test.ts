import { QueueEvents } from "bullmq";
import { register } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STATE, toFilterInput } from "~/app/_components/use-library-filter";
import { LIBRARY_PAGE_SIZE } from "~/lib/library-view";
import { inputHash, libraryKeys } from "~/server/library/cache";
import { tagsRead } from "~/server/library/reads";
import { recordLibraryAccess, usageKeys } from "~/server/library/usage";
import type { ScanResult } from "~/server/library/warm";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";

/** Cache warming with the real queue, worker, Redis and Postgres. */
let h: Harness;
let events: QueueEvents;
beforeAll(async () => {
  h = await startHarness({ pageSize: 100, warm: { batchSize: 1, batchDelayMs: 20 } });
  events = new QueueEvents(h.services.warmQueue.name, { connection: h.redis.duplicate(), prefix: h.prefix });
  await events.waitUntilReady();
});
afterAll(async () => {
  await events?.close();
  await h?.close();
});

async function counter(name: string, labels: Record<string, string>): Promise<number> {
  const values = (await register.getSingleMetric(name)?.get())?.values ?? [];
  return values.filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l)).reduce((a, v) => a + v.value, 0);
}

describe("cache warming", () => {
  it("after a sync, the page's first requests for the default view are cache hits", async () => {
    const user = await h.createUser(45);
    const api = h.caller(user.id);
    await h.waitForRun((await api.sync.start({ mode: "full" })).runId);
    await until("the warm after the sync", async () => (await h.redis.exists(libraryKeys.warmed(user.id))) === 1);

    const missesBefore = await counter("xb_library_cache_requests_total", { layer: "redis", result: "miss" });
    const hitsBefore = await counter("xb_library_warm_first_reads_total", { result: "hit" });
    // What the page sends when opened without a filter (library.tsx; tRPC's infinite query adds `direction`).
    const filter = toFilterInput(DEFAULT_STATE);
    const page = { filter, limit: LIBRARY_PAGE_SIZE, direction: "forward" } as Parameters<typeof api.bookmarks.list>[0];
    const [list, count, tags, categories] = await Promise.all([
      api.bookmarks.list(page),
      api.bookmarks.count({ filter }),
      api.tags.list(),
      api.categories.list(),
    ]);
    expect(list.items).toHaveLength(LIBRARY_PAGE_SIZE);
    expect(count).toBe(45);
    expect([tags, categories]).toEqual([[], []]);

    expect(await counter("xb_library_cache_requests_total", { layer: "redis", result: "miss" })).toBe(missesBefore);
    await until(
      "the first read after the warm counted",
      async () => (await counter("xb_library_warm_first_reads_total", { result: "hit" })) === hitsBefore + 1,
    );
    expect(await h.redis.exists(libraryKeys.warmed(user.id))).toBe(0);
  });

  it("a bulk edit queues a warm of the default view too", async () => {
    const user = await h.createUser(5);
    const api = h.caller(user.id);
    await h.waitForRun((await api.sync.start({ mode: "full" })).runId);
    await until("the warm after the sync", async () => (await h.redis.exists(libraryKeys.warmed(user.id))) === 1);
    await api.tags.list(); // takes the marker
    const ids = (await api.bookmarks.list({ limit: 3 })).items.map((b) => b.id);
    await api.bookmarks.bulk({ ids, action: { kind: "delete" } });
    await until("the warm after the bulk edit", async () => (await h.redis.exists(libraryKeys.warmed(user.id))) === 1);
    expect(await api.bookmarks.count({ filter: toFilterInput(DEFAULT_STATE) })).toBe(2);
  });

  it("the scheduled warm prepares only the users whose usual hour is near, and skips what is cached", async () => {
    const [due, other, partly] = await Promise.all([h.createUser(3), h.createUser(3), h.createUser(3)]);
    const soon = new Date(Date.now() + h.warmSettings.lookaheadMs);
    const week = 7 * 24 * 3600_000;
    // Two past weeks in the coming hour for `due` and `partly`; `other` comes at another hour.
    for (const back of [week, 2 * week]) {
      await recordLibraryAccess(h.redis, due.id, new Date(soon.getTime() - back));
      await recordLibraryAccess(h.redis, partly.id, new Date(soon.getTime() - back));
      await recordLibraryAccess(h.redis, other.id, new Date(soon.getTime() - back - 5 * 3600_000));
    }
    // The recorded visits are weeks old: mark all three active now (as a read this hour would).
    for (const u of [due, other, partly]) await h.redis.zadd(usageKeys.active, Date.now(), u.id);
    // `partly` already has its tag list cached: the warm must leave that entry alone.
    const tagsKey = libraryKeys.entry(partly.id, "0", "tags.list", inputHash(tagsRead(h.db, partly.id).input));
    await h.redis.set(tagsKey, "kept", "EX", 600);

    const job = await h.services.warmQueue.add("scan", {});
    const r = (await job.waitUntilFinished(events, 30_000)) as ScanResult;

    expect(await h.redis.exists(libraryKeys.warmed(due.id))).toBe(1);
    expect(await h.redis.exists(libraryKeys.warmed(partly.id))).toBe(1);
    expect(await h.redis.exists(libraryKeys.warmed(other.id))).toBe(0);
    expect(await h.redis.get(tagsKey)).toBe("kept");
    // Other test files' users may be active in this Redis database too: at least ours.
    expect(r.users).toBeGreaterThanOrEqual(2);
    expect(r.warmed).toBeGreaterThanOrEqual(7);
    expect(r.cached).toBeGreaterThanOrEqual(1);
    expect(r.batches).toBeGreaterThanOrEqual(2); // batches of one user

    // Each user once per hour: a second scan finds them warmed already.
    const again = (await (await h.services.warmQueue.add("scan", {})).waitUntilFinished(events, 30_000)) as ScanResult;
    expect(again.due).toBeGreaterThanOrEqual(2);
    expect(again.users).toBe(0);
  });
});
