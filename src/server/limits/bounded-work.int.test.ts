import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { TOO_LONG_ERROR, TOO_MANY_PARTS_ERROR } from "~/lib/search-query";
import { createCallerFactory, createTRPCContext, createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { exportChunks, exportResponse, type ExportFormat } from "~/server/bookmarks/export";
import { closeDb, createPrisma, isStatementTimeout, poolOf, type Db } from "~/server/db";
import { toAppSession } from "~/server/session";
import { libraryFilter } from "~/shared/filter";
import { createLibraryUser, libraryHarness, seedBookmarks } from "~/testing/library-seed";

/** Bounded work per request (issue 12, point 4): search caps, statement timeouts, export budget. */
const lib = libraryHarness();
let user: { id: string; handle: string };

beforeAll(async () => {
  user = await createLibraryUser(lib.db);
  await seedBookmarks(
    lib.db,
    user.id,
    ["alpha one", "beta two", "gamma three", "delta four", "epsilon five"].map((text) => ({ text })),
  );
});
afterAll(() => lib.close());

describe("search caps", () => {
  it("answers BAD_REQUEST with a sentence for a query NFKC expands past the cap (short as typed)", async () => {
    const q = "ﷺ".repeat(40); // 40 characters typed; 720 and 160 words after NFKC
    await expect(lib.caller(user.id).bookmarks.list({ filter: { q } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: TOO_LONG_ERROR,
    });
    await expect(lib.caller(user.id).bookmarks.count({ filter: { q } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: TOO_LONG_ERROR,
    });
  });

  it("answers BAD_REQUEST for too many words, and the export says the same", async () => {
    const q = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    await expect(lib.caller(user.id).bookmarks.list({ filter: { q } })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: TOO_MANY_PARTS_ERROR,
    });
    const res = await exportResponse(lib.db, toAppSession({ id: user.id }, new Date(Date.now() + 60_000)), exportRequest("csv", { q }));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: TOO_MANY_PARTS_ERROR });
  });
});

describe("statement_timeout on the web's pool", () => {
  let slowDb: Db;
  beforeAll(() => {
    slowDb = createPrisma(env.DATABASE_URL, { statementTimeoutMs: 200, idleInTransactionTimeoutMs: 500 });
  });
  afterAll(() => closeDb(slowDb));

  it("cancels a slow statement, through Prisma and through the plain pool", async () => {
    const t0 = performance.now();
    const viaPrisma = await slowDb.$queryRaw`SELECT pg_sleep(3)`.catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(isStatementTimeout(viaPrisma)).toBe(true);
    const viaPool = await poolOf(slowDb)
      .query("SELECT pg_sleep(3)")
      .catch((e: unknown) => e);
    expect(isStatementTimeout(viaPool)).toBe(true);
    // Ordinary errors are not mistaken for it.
    expect(
      isStatementTimeout(
        await poolOf(slowDb)
          .query("SELECT 1/0")
          .catch((e: unknown) => e),
      ),
    ).toBe(false);
  });

  it("answers a procedure whose statement was cancelled with TIMEOUT and a sentence, not a 500", async () => {
    // A procedure built like every app procedure (the same middleware), whose query is slow.
    const router = createTRPCRouter({ slow: protectedProcedure.query(({ ctx }) => ctx.db.$queryRaw`SELECT pg_sleep(3)`) });
    const caller = createCallerFactory(router)(
      createTRPCContext({
        session: toAppSession({ id: user.id }, new Date(Date.now() + 60_000)),
        services: { ...lib.services, db: slowDb },
      }),
    );
    await expect(caller.slow()).rejects.toMatchObject({ code: "TIMEOUT", message: expect.stringMatching(/took too long and was stopped/) });
  });

  it("ends a session left idle inside a transaction", async () => {
    const client = await poolOf(slowDb).connect();
    // The termination arrives as 'error' events (the server's FATAL, then the closed socket).
    const ended = new Promise<Error>((resolve) => client.on("error", resolve));
    try {
      await client.query("BEGIN");
      await new Promise((r) => setTimeout(r, 900));
      expect((await ended).message).toMatch(/idle-in-transaction timeout/);
      expect(await client.query("SELECT 1").catch((e: unknown) => e)).toBeInstanceOf(Error);
    } finally {
      client.release(true);
    }
  });
});

function exportRequest(format: ExportFormat, filter: Record<string, unknown> = {}): Request {
  return new Request(`http://localhost/api/export?format=${format}&filter=${encodeURIComponent(JSON.stringify(filter))}`);
}

async function collect(format: ExportFormat, budget: { maxRows: number; maxMs: number }): Promise<string> {
  let out = "";
  for await (const c of exportChunks(lib.db, user.id, libraryFilter.parse({}), format, undefined, { pageSize: 2, budget })) out += c;
  return out;
}

describe("export budget", () => {
  it("refuses up front, with a sentence, an export holding more rows than one file may", async () => {
    const res = await exportResponse(lib.db, toAppSession({ id: user.id }, new Date(Date.now() + 60_000)), exportRequest("json"), {
      budget: { maxRows: 3, maxMs: 60_000 },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/^This export would hold 5 bookmarks; one file holds at most 3\./);
  });

  it("a library exactly at the row budget exports whole", async () => {
    const json = JSON.parse(await collect("json", { maxRows: 5, maxMs: 60_000 })) as unknown[];
    expect(json).toHaveLength(5);
  });

  it("stops at the row budget mid-stream (rows added while it ran) with an explicit marker, in every format", async () => {
    const json = JSON.parse(await collect("json", { maxRows: 3, maxMs: 60_000 })) as Record<string, unknown>[];
    expect(json).toHaveLength(4);
    expect(json[3]).toEqual({
      exportIncomplete: true,
      message: expect.stringMatching(/^stopped after 3 bookmarks because one file holds at most 3 bookmarks/),
    });
    const csv = (await collect("csv", { maxRows: 3, maxMs: 60_000 })).trimEnd().split("\r\n");
    expect(csv).toHaveLength(1 + 3 + 1);
    expect(csv.at(-1)).toMatch(/^EXPORT INCOMPLETE: stopped after 3 bookmarks/);
    expect(await collect("md", { maxRows: 3, maxMs: 60_000 })).toMatch(/\*\*Export incomplete:\*\* stopped after 3 bookmarks/);
  });

  it("stops once its time is up, after the page in hand, with a valid file saying so", async () => {
    const json = JSON.parse(await collect("json", { maxRows: 1_000, maxMs: 0 })) as Record<string, unknown>[];
    expect(json).toHaveLength(3); // one page of 2, then the marker
    expect(json[2]).toMatchObject({ exportIncomplete: true, message: expect.stringMatching(/an export may take at most 0 seconds/) });
  });
});
