import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "~/env";
import { endpointOf } from "~/server/sync/rate-limit-state";
import { parseWorkerName, workerName } from "~/server/sync/worker-name";
import { isListedAdmin, normalizeHandle } from "./handles";
import { throttledQueueEvents, type AdminQueueEvent, type AdminQueueEventBatch } from "./queue-events";
import { minuteSeries, perMinute } from "./series";
import { userSyncStatus } from "./status";
import { parseRedisInfo } from "./workers";

const MIN = 60_000;
const T = Date.UTC(2026, 0, 1, 12, 30, 15); // 12:30:15, inside minute 12:30

describe("perMinute (BullMQ metrics → the last hour, one count per minute)", () => {
  it("is all zeros without data", () => {
    expect(perMinute(null, T)).toEqual(new Array(60).fill(0));
    expect(perMinute({ meta: { count: 0, prevTS: 0, prevCount: 0 }, data: [] }, T)).toEqual(new Array(60).fill(0));
  });

  it("puts jobs not yet flushed in the last flush's minute, and data[k] k+1 minutes before it", () => {
    // Last flush at 12:28:05; since then 4 jobs (all in 12:28). data: 12:27 → 2, 12:26 → 0, 12:25 → 7.
    const m = { meta: { count: 20, prevTS: T - 2 * MIN - 10_000, prevCount: 16 }, data: [2, 0, 7] };
    const s = perMinute(m, T);
    expect(s).toHaveLength(60);
    expect(s[59]).toBe(0); // 12:30, now
    expect(s[58]).toBe(0); // 12:29
    expect(s[57]).toBe(4); // 12:28
    expect(s[56]).toBe(2); // 12:27
    expect(s[55]).toBe(0);
    expect(s[54]).toBe(7); // 12:25
    expect(s.reduce((a, b) => a + b, 0)).toBe(13);
  });

  it("counts the current minute when the last flush happened in it", () => {
    const s = perMinute({ meta: { count: 3, prevTS: T - 5_000, prevCount: 0 }, data: [] }, T);
    expect(s[59]).toBe(3);
  });

  it("drops what is older than the window", () => {
    const data = new Array(60).fill(1);
    const s = perMinute({ meta: { count: 0, prevTS: T - 30 * MIN, prevCount: 0 }, data }, T);
    // Flush minute is 30 minutes ago; data[0] is 31 minutes ago; only 29 of the 60 points fit.
    expect(s.slice(29).every((n) => n === 0)).toBe(true);
    expect(s.slice(0, 29).every((n) => n === 1)).toBe(true);
  });

  it("minuteSeries pairs completed and failed per minute, oldest first, on minute starts", () => {
    const s = minuteSeries(
      { meta: { count: 2, prevTS: T, prevCount: 0 }, data: [] },
      { meta: { count: 1, prevTS: T, prevCount: 0 }, data: [5] },
      T,
    );
    expect(s).toHaveLength(60);
    expect(s[59]).toEqual({ at: new Date(Date.UTC(2026, 0, 1, 12, 30)), completed: 2, failed: 1 });
    expect(s[58]).toEqual({ at: new Date(Date.UTC(2026, 0, 1, 12, 29)), completed: 0, failed: 5 });
    expect(s[0]!.at).toEqual(new Date(Date.UTC(2026, 0, 1, 11, 31)));
  });
});

describe("userSyncStatus", () => {
  const account = { needsReauthAt: null };
  it("needs re-login first, whatever the runs say", () => {
    expect(userSyncStatus({ status: "RUNNING", waitingUntil: null }, { needsReauthAt: new Date() }, T)).toBe("needs_relogin");
    expect(userSyncStatus(null, null, T)).toBe("needs_relogin");
  });
  it("ok without runs or after a success; failed after a failure", () => {
    expect(userSyncStatus(null, account, T)).toBe("ok");
    expect(userSyncStatus({ status: "SUCCEEDED", waitingUntil: null }, account, T)).toBe("ok");
    expect(userSyncStatus({ status: "FAILED", waitingUntil: null }, account, T)).toBe("failed");
  });
  it("an open run is syncing, or waiting for X while its wait lasts", () => {
    expect(userSyncStatus({ status: "QUEUED", waitingUntil: null }, account, T)).toBe("syncing");
    expect(userSyncStatus({ status: "RUNNING", waitingUntil: new Date(T + 60_000) }, account, T)).toBe("waiting_for_x");
    expect(userSyncStatus({ status: "RUNNING", waitingUntil: new Date(T - 1) }, account, T)).toBe("syncing");
  });
});

describe("ADMIN_HANDLES", () => {
  const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x" };
  it("is optional, and a list of normalised handles when set", () => {
    expect(parseEnv(base).ADMIN_HANDLES).toEqual([]);
    expect(parseEnv({ ...base, ADMIN_HANDLES: " @Alice, bob_2 ,,@CAROL " }).ADMIN_HANDLES).toEqual(["alice", "bob_2", "carol"]);
  });
  it("refuses what is not a handle, naming the variable", () => {
    expect(() => parseEnv({ ...base, ADMIN_HANDLES: "alice, not a handle" })).toThrow(EnvError);
    expect(() => parseEnv({ ...base, ADMIN_HANDLES: "alice;bob" })).toThrow(/ADMIN_HANDLES: must be X handles/);
  });
});

describe("ADMIN_X_IDS", () => {
  const base = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x" };
  it("is optional, and a list of X user ids when set", () => {
    expect(parseEnv(base).ADMIN_X_IDS).toEqual([]);
    expect(parseEnv({ ...base, ADMIN_X_IDS: " 12, 1234567890123456789 ,," }).ADMIN_X_IDS).toEqual(["12", "1234567890123456789"]);
  });
  it("refuses what is not an X user id (a handle, say), naming the variable", () => {
    expect(() => parseEnv({ ...base, ADMIN_X_IDS: "@alice" })).toThrow(/ADMIN_X_IDS: must be X user ids/);
    expect(() => parseEnv({ ...base, ADMIN_X_IDS: "12;13" })).toThrow(EnvError);
  });
});

describe("small helpers", () => {
  it("handles: @, case and spaces do not matter", () => {
    expect(normalizeHandle(" @Alice_01 ")).toBe("alice_01");
    expect(isListedAdmin(["alice_01", "bob"], "ALICE_01")).toBe(true);
    expect(isListedAdmin(["alice_01"], "@alice_01")).toBe(true);
    expect(isListedAdmin(["alice_01"], "alice")).toBe(false);
    expect(isListedAdmin(["alice_01"], null)).toBe(false);
  });

  it("worker names carry id and concurrency through BullMQ's connection name", () => {
    const name = workerName("host-1:4242", 3);
    expect(name).not.toMatch(/\s/);
    expect(parseWorkerName(`xb:Ym9va21hcmstc3luYw==:w:${name}`)).toEqual({ workerId: "host-1:4242", concurrency: 3 });
    expect(parseWorkerName("xb:Ym9va21hcmstc3luYw==")).toEqual({ workerId: "(unnamed)", concurrency: null });
    expect(parseWorkerName("xb:q:w:someone-else")).toEqual({ workerId: "someone-else", concurrency: null });
  });

  it("endpointOf hides whose endpoint it was", () => {
    expect(endpointOf("/2/users/1234567890/bookmarks")).toBe("/2/users/:id/bookmarks");
    expect(endpointOf("/2/users/me")).toBe("/2/users/me");
  });

  it("parseRedisInfo reads INFO's key:value lines", () => {
    const info = parseRedisInfo(
      "# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\n",
    );
    expect(info).toEqual({ used_memory: "1048576", used_memory_human: "1.00M", maxmemory: "0", maxmemory_policy: "noeviction" });
  });
});

describe("throttledQueueEvents", () => {
  function fakeHub() {
    const listeners = new Set<(e: AdminQueueEvent) => void>();
    return {
      listeners,
      subscribe: async (l: (e: AdminQueueEvent) => void) => {
        listeners.add(l);
        return () => void listeners.delete(l);
      },
      emit(e: Partial<AdminQueueEvent>) {
        for (const l of listeners) l({ queue: "sync", event: "waiting", jobId: "j", at: new Date().toISOString(), ...e });
      },
    };
  }

  it("says it is live first, then batches events at most once per interval, and stops on abort", async () => {
    const hub = fakeHub();
    const ac = new AbortController();
    const stream = throttledQueueEvents(hub, ac.signal, { intervalMs: 100 });
    const first = await stream.next();
    expect(first.value).toMatchObject({ events: [], dropped: 0 });
    expect(hub.listeners.size).toBe(1);

    const got: AdminQueueEventBatch[] = [];
    const at: number[] = [];
    const reading = (async () => {
      for await (const b of { [Symbol.asyncIterator]: () => stream }) {
        got.push(b);
        at.push(Date.now());
      }
    })();
    for (let i = 0; i < 50; i++) {
      hub.emit({ jobId: `j${i}` });
      await new Promise((r) => setTimeout(r, 5));
    }
    await new Promise((r) => setTimeout(r, 250));
    ac.abort();
    await reading;
    expect(got.flatMap((b) => b.events.map((e) => e.jobId))).toEqual(Array.from({ length: 50 }, (_, i) => `j${i}`));
    expect(got.length).toBeLessThanOrEqual(6); // ~250 ms of events, one batch per 100 ms
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(90);
    expect(hub.listeners.size).toBe(0);
  });

  it("keeps a batch bounded and counts what it left out; filters by queue", async () => {
    const hub = fakeHub();
    const ac = new AbortController();
    const stream = throttledQueueEvents(hub, ac.signal, { intervalMs: 50, maxBatch: 10, queue: "sync" });
    await stream.next();
    for (let i = 0; i < 25; i++) hub.emit({ jobId: `j${i}` });
    hub.emit({ queue: "maintenance", jobId: "other" });
    const batch = (await stream.next()).value as AdminQueueEventBatch;
    expect(batch.events).toHaveLength(10);
    expect(batch.dropped).toBe(15);
    ac.abort();
    expect((await stream.next()).done).toBe(true);
  });
});
