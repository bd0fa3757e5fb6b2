/**
 * The worker process's vital signs (worker/main.ts, spawned as a child): /api/health, /api/ready
 * and /metrics on its port; after syncs, the sync duration histogram and the bookmarks-ingested
 * counter (created and updated) match the runs. Real Postgres, Redis, BullMQ and an X sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getXAccess } from "~/server/x/tokens";
import { startHarness, type Harness } from "~/testing/harness";
import { promDeclares, promSample } from "~/testing/prom-text";
import { until } from "~/testing/until";
import { startWorkerProcess, type WorkerProcess } from "~/testing/worker-process";

let h: Harness;
let w: WorkerProcess;
let syncedUserId: string | undefined;

const metrics = async () => (await fetch(`${w.url}/metrics`)).text();

beforeAll(async () => {
  h = await startHarness({ worker: false, pageSize: 50 });
  w = await startWorkerProcess(h);
}, 120_000);
afterAll(async () => {
  await w?.kill();
  await h?.close();
});

describe("worker process: vital signs", () => {
  it("answers /api/health and /api/ready like the web", async () => {
    const health = await fetch(`${w.url}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", uptimeSeconds: expect.any(Number) });
    const ready = await fetch(`${w.url}/api/ready`);
    expect(ready.status, w.output()).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok" } });
    // The older /health (is the sync worker running) still answers.
    expect((await fetch(`${w.url}/health`)).status).toBe(200);
  });

  it("exposes sync durations and bookmarks ingested after syncs", async () => {
    const before = await metrics();
    for (const name of [
      "xb_bookmarks_ingested_total",
      "xb_sync_job_duration_seconds",
      "xb_x_circuit_state",
      "xb_worker_process_cpu_seconds_total",
    ]) {
      expect(promDeclares(before, name), name).toBe(true);
    }
    expect(promSample(before, "xb_bookmarks_ingested_total", { kind: "created" })).toBe(0);

    const user = await h.createUser(120);
    syncedUserId = user.id;
    const first = await h.caller(user.id).sync.start({ mode: "full" });
    const run1 = await h.waitForRun(first.runId, 60_000);
    expect(run1).toMatchObject({ status: "SUCCEEDED", created: 120 });

    // The counter moves when the run's final event goes out, just after the run is stored.
    await until(
      "the first run counted",
      async () => promSample(await metrics(), "xb_bookmarks_ingested_total", { kind: "created" }) === 120,
      20_000,
      w.output,
    );

    // A second full sync finds every bookmark known: updated, not created.
    const second = await h.caller(user.id).sync.start({ mode: "full" });
    const run2 = await h.waitForRun(second.runId, 60_000);
    expect(run2.status).toBe("SUCCEEDED");
    expect(run2.created).toBe(0);
    await until(
      "the second run counted",
      async () => promSample(await metrics(), "xb_sync_job_duration_seconds_count", { outcome: "succeeded" }) === 2,
      20_000,
      w.output,
    );
    const after = await metrics();
    expect(promSample(after, "xb_bookmarks_ingested_total", { kind: "created" })).toBe(120);
    expect(promSample(after, "xb_bookmarks_ingested_total", { kind: "updated" })).toBe(run2.updated);
    expect(promSample(after, "xb_sync_jobs_total", { outcome: "succeeded" })).toBe(2);
    expect(promSample(after, "xb_sync_job_duration_seconds_sum", { outcome: "succeeded" })).toBeGreaterThan(0);
    expect(promSample(after, "xb_sync_job_duration_seconds_bucket", { outcome: "succeeded", le: "+Inf" })).toBe(2);
  });

  it("writes JSON log lines with the job, user and run ids, and no tokens", async () => {
    const lines = w
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const finished = lines.filter((l) => l.msg === "sync job finished");
    expect(finished.length).toBeGreaterThanOrEqual(2);
    for (const l of finished) {
      expect(l).toMatchObject({ name: "worker", jobId: expect.any(String), userId: expect.any(String), runId: expect.any(String) });
    }
    // The X access token the worker used for those syncs is nowhere in its output.
    expect(syncedUserId).toBeDefined();
    const access = await getXAccess(h.tokens, syncedUserId!);
    expect(access.accessToken.length).toBeGreaterThan(8);
    expect(w.output()).not.toContain(access.accessToken);
  });
});
