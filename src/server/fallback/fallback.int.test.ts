import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { env } from "~/env";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { closeDb, createPrisma } from "~/server/db";
import { createRedis } from "~/server/redis";
import { createWebServices } from "~/server/services";
import { toAppSession } from "~/server/session";
import { redisKeys } from "~/server/sync/events";
import { startHarness } from "~/testing/harness";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { canStartOwnPostgres, canStartOwnRedis, startOwnPostgres, startOwnRedis } from "~/testing/own-services";
import { until } from "~/testing/until";
import { createStatusGate, MAINTENANCE_TEXT } from "./gate";
import { readSystemStatus } from "./status";

/**
 * The fallback chain (README → "When a part fails"), one link per test, each with the real
 * service stopped: this file's own redis-server and Postgres cluster (never the shared ones),
 * and the harness's own X sandbox.
 */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
const db = createPrisma();
afterAll(async () => {
  await closeDb(db);
});

describe("the fallback chain", () => {
  it.skipIf(!canStartOwnRedis())(
    "Redis down: reads come from Postgres, writes are saved, the status says live updates are off",
    async () => {
      const redis = await startOwnRedis();
      cleanups.push(() => redis.close());
      const prefix = `fb-${randomUUID().slice(0, 8)}`;
      const services = createWebServices({ db, redisUrl: redis.url, prefix });
      cleanups.push(() => services.close());
      const statusRedis = createRedis("producer", redis.url);
      statusRedis.on("error", () => undefined);
      cleanups.push(() => statusRedis.disconnect());
      const user = await createLibraryUser(db);
      const ids = await seedBookmarks(db, user.id, [{ text: "first" }, { text: "second" }, { text: "third" }]);
      const api = createCaller(createTRPCContext({ session: toAppSession({ id: user.id }, new Date(Date.now() + 3600_000)), services }));

      expect((await api.bookmarks.list({ limit: 10 })).items).toHaveLength(3); // cached now
      expect((await readSystemStatus({ db, redis: statusRedis, prefix })).isolated).toEqual([]);

      await redis.stop();
      await seedBookmarks(db, user.id, [{ text: "added while Redis was down" }]);
      // Read from Postgres: the new bookmark shows, not the cached page.
      const page = await api.bookmarks.list({ limit: 10 });
      expect(page.items.map((b) => b.post.text)).toEqual(["added while Redis was down", "first", "second", "third"]);
      expect(await api.bookmarks.count()).toBe(4);
      // A write is committed in Postgres (its change event cannot go out: see README).
      await api.bookmarks.update({ id: ids[1]!, note: "saved while Redis was down" }).catch(() => undefined);
      expect((await db.bookmark.findUniqueOrThrow({ where: { id: BigInt(ids[1]!) } })).note).toBe("saved while Redis was down");

      const status = await readSystemStatus({ db, redis: statusRedis, prefix });
      expect(status).toMatchObject({ postgres: "ok", redis: "down", x: "unknown", isolated: ["no-live-updates"] });
    },
  );

  it("X down: the library keeps working from what is stored, syncs wait with the breaker open", async () => {
    const h = await startHarness({ pageSize: 100, breaker: { failures: 2, halfOpenAfterMs: 60_000, successesToClose: 1 }, retryBaseMs: 5 });
    cleanups.push(() => h.close());
    // As worker/main.ts does: the breaker's state in Redis, for the status and the admin console.
    h.breaker.onChange(
      (s) => void h.redis.set(redisKeys.breaker(h.prefix, "test-worker"), JSON.stringify({ ...s, workerId: "test-worker" }), "EX", 60),
    );
    const user = await h.createUser(25);
    const api = h.caller(user.id);
    await h.waitForRun((await api.sync.start({ mode: "full" })).runId);

    await h.sandbox.close(); // X is gone
    const { runId } = await api.sync.start({ mode: "incremental" });
    await until("the breaker to open", async () => h.breaker.snapshot().state === "open", 30_000);
    const status = await until("the status to show it", async () => {
      const s = await readSystemStatus({ db: h.db, redis: h.redis, prefix: h.prefix });
      return s.x === "open" ? s : null;
    });
    expect(status).toMatchObject({ postgres: "ok", redis: "ok", isolated: ["syncs-wait"] });
    expect(status.xRetryAt).not.toBeNull();

    // The sync waits (delayed, not failed); the library answers from what is stored.
    await until(
      "the sync job to wait",
      async () => (await h.services.syncQueue.getJob(runId))?.getState().then((s) => s === "delayed"),
      30_000,
    );
    expect((await h.db.syncRun.findUniqueOrThrow({ where: { id: runId } })).status).not.toBe("FAILED");
    expect(await api.bookmarks.count()).toBe(25);
    expect((await api.bookmarks.list({ limit: 5 })).items).toHaveLength(5);
  }, 60_000);

  it.skipIf(!canStartOwnPostgres())(
    "Postgres down: pages and API calls get a clear maintenance answer, never a blank page",
    async () => {
      const postgres = await startOwnPostgres();
      cleanups.push(() => postgres.close());
      const ownDb = createPrisma(postgres.url);
      cleanups.push(() => closeDb(ownDb));
      const redis = createRedis("producer", env.REDIS_URL);
      cleanups.push(() => redis.disconnect());
      const gate = createStatusGate({ db: ownDb, redis, prefix: `fb-${randomUUID().slice(0, 8)}`, refreshMs: 200 });
      cleanups.push(() => gate.close());
      // As main.ts: the gate first, then the app (here a stand-in for Next).
      const server: Server = createServer((req, res) => {
        if (gate.handle(req, res)) return;
        res.writeHead(200, { "content-type": "text/html" }).end("<p>the library</p>");
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      cleanups.push(() => new Promise((r) => server.close(r)));
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const page = () => fetch(`${base}/`, { headers: { accept: "text/html" } });

      await until("the first status", async () => gate.current()?.postgres === "ok");
      expect(await (await page()).text()).toBe("<p>the library</p>");

      await postgres.stop();
      await until("the gate to see Postgres down", async () => gate.inMaintenance(), 10_000);
      const down = await page();
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("30");
      const html = await down.text();
      expect(html).toContain(MAINTENANCE_TEXT.title);
      expect(html).toContain(MAINTENANCE_TEXT.body);
      const api = await fetch(`${base}/api/trpc/bookmarks.list`, { headers: { accept: "application/json" } });
      expect(api.status).toBe(503);
      expect(await api.json()).toEqual({ error: { code: "MAINTENANCE", message: MAINTENANCE_TEXT.api } });
      expect(await (await fetch(`${base}/api/status`)).json()).toMatchObject({ postgres: "down", redis: "ok", isolated: ["maintenance"] });

      await postgres.start();
      await until("the gate to see Postgres back", async () => gate.current()?.postgres === "ok", 20_000);
      expect((await page()).status).toBe(200);
    },
    60_000,
  );
});
