/**
 * Crash safety of an import in the real worker process (worker/main.ts as a child): killed with
 * SIGKILL mid-import, a new worker resumes from the checkpoint once the job's lock expires, with
 * every bookmark once, in X's order, and no id fetched twice.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importUpload, type UploadAnswer } from "~/server/import/upload";
import { toAppSession } from "~/server/session";
import { startHarness, type Harness } from "~/testing/harness";
import { until } from "~/testing/until";
import { startWorkerProcess, type WorkerProcess } from "~/testing/worker-process";

let h: Harness;
const children: WorkerProcess[] = [];

beforeAll(async () => {
  h = await startHarness({ worker: false, pageSize: 90 });
});
afterAll(async () => {
  for (const w of children.splice(0)) await w.kill();
  await h?.control("PUT", "/faults", {}).catch(() => undefined);
  await h?.close();
});

describe("import in the worker process", () => {
  it("kill -9 mid-import: a new worker resumes from the checkpoint, nothing lost or doubled", async () => {
    const BOOKMARKS = 1500;
    const user = await h.createUser(BOOKMARKS);
    const ids = await h.sandboxIds(user.xId);
    const stored = new Set((await h.db.post.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((p) => p.id));
    const toFetch = ids.filter((id) => !stored.has(id)).length;
    const archive = Buffer.from(await (await fetch(`${h.sandbox.url}/_sandbox/users/${user.xId}/archive`)).arrayBuffer());
    const res = await importUpload(
      {
        db: h.db,
        maxBytes: 50 * 1024 * 1024,
        maxUnzippedBytes: 50 * 1024 * 1024,
        maxItems: 100_000,
        limits: h.services.limits,
        readPriceUsd: 0.005,
        allowedOrigins: new Set(["http://127.0.0.1"]),
      },
      toAppSession({ id: user.id }, new Date(Date.now() + 3600_000)),
      new Request("http://127.0.0.1/api/import", {
        method: "POST",
        body: new Uint8Array(archive),
        headers: { origin: "http://127.0.0.1", "x-file-name": "archive.zip" },
      }),
    );
    const preview = (await res.json()) as UploadAnswer;
    expect(preview.toFetch).toBe(toFetch);

    await h.control("PUT", "/faults", { latencyMs: 300 });
    const first = await startWorkerProcess(h, { SYNC_LOCK_MS: "2000" });
    children.push(first);
    await h.caller(user.id).imports.confirm({ importId: preview.importId });
    const imp = () => h.db.import.findUniqueOrThrow({ where: { id: preview.importId } });
    await until("two batches saved", async () => (await imp()).apiCalls >= 2, 30_000, first.output);

    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    const atKill = await imp();
    expect(atKill.status).toBe("RUNNING");
    // What is saved matches the checkpoint.
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(atKill.saved);

    await h.control("PUT", "/faults", {});
    const second = await startWorkerProcess(h, { SYNC_LOCK_MS: "2000" });
    children.push(second);
    await until("the import to finish", async () => (await imp()).status === "SUCCEEDED", 60_000, second.output);
    const done = await imp();
    expect(done).toMatchObject({ saved: BOOKMARKS, deletedOnX: 0 });
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(BOOKMARKS);
    expect(await h.libraryIds(user.id)).toEqual(ids);
    // No id was fetched twice: the calls are the minimum for the ids to fetch, or one more (the
    // batch in flight at the kill, which was not saved and is fetched again).
    const calls = (await h.control<{ apiCalls: { tweets: number } }>("GET", `/users/${user.xId}`)).apiCalls.tweets;
    // (Quoted and replied-to posts a lookup brings are stored too: ids further down the file that
    // they cover need no lookup, so X may return a few fewer than the preview's estimate.)
    expect(calls).toBeGreaterThanOrEqual(Math.ceil(done.fetched / 100));
    expect(calls).toBeLessThanOrEqual(Math.ceil(toFetch / 100) + 1);
    expect(done.fetched).toBeLessThanOrEqual(toFetch);
    expect(done.fetched).toBeGreaterThan(toFetch - 100);
    const logs = (await h.services.importQueue.getJobLogs(preview.importId)).logs;
    expect(logs.some((l) => l.startsWith("resuming import at item "))).toBe(true);
  }, 150_000);
});
