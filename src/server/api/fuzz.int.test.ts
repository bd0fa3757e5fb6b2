import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTrpcHttp } from "~/server/api/http";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { toAppSession } from "~/server/session";
import { createLibraryUser, libraryHarness, seedBookmarks } from "~/testing/library-seed";
import { anyInput, arbitraryFor } from "~/testing/schema-arbitrary";

/**
 * Property-based fuzzing of every tRPC procedure's input (issue 12, point 9): arbitrary values and
 * values shaped like the procedure's own schema, sent as an admin with a seeded library (so the
 * procedures run their bodies against real Postgres and Redis, not just their validation). No input
 * may make the server answer 500 or take more than a second. Runs are bounded (seeded, a fixed
 * number per procedure) so the file finishes in well under a minute.
 */
const RUNS_PER_PROCEDURE = Number(process.env.FUZZ_RUNS ?? 20);
const SLOW_MS = 1_000;

// Limits high enough that the fuzzing is not itself refused (the limits have their own tests).
const lib = libraryHarness({ limits: { callsPerMinute: 1_000_000, syncStartsPerHour: 1_000_000, exportsPerHour: 1_000_000 } });
let userId: string;

type AnyProcedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);

beforeAll(async () => {
  const user = await createLibraryUser(lib.db);
  userId = user.id;
  await lib.db.user.update({ where: { id: userId }, data: { role: "ADMIN" } });
  const texts = [
    "機械学習の勉強会",
    "Database tuning notes",
    "猫と昼寝",
    "ﷺ and friends",
    "#tagged post",
    "running fast",
    "C'est la vie",
    "emoji 😀 here",
  ];
  await seedBookmarks(
    lib.db,
    userId,
    Array.from({ length: 40 }, (_, i) => ({ text: `${texts[i % texts.length]} ${i}`, lang: i % 2 ? "ja" : "en", media: i % 3 === 0 })),
  );
  // Warm up (connections, prepared scripts, first queries): the time limit is about inputs, not
  // about a process's first call.
  for (const [path, proc] of procedures) if (proc._def.type === "query") await call(path, undefined).catch(() => undefined);
});
afterAll(() => lib.close());

/** Calls `path` on a fresh caller as the fuzzing admin. */
function call(path: string, input: unknown): Promise<unknown> {
  const caller = lib.caller(userId) as unknown as Record<string, Record<string, (input: unknown) => Promise<unknown>>>;
  const [router, name] = path.split(".") as [string, string];
  return caller[router]![name]!(input);
}

/** Passes when the call succeeded or was refused with a client error, within the time allowed. */
async function expectNo500(path: string, input: unknown): Promise<void> {
  const t0 = performance.now();
  try {
    await call(path, input);
  } catch (e) {
    if (!(e instanceof TRPCError) || getHTTPStatusCodeFromError(e) >= 500) {
      throw new Error(
        `${path} answered ${e instanceof TRPCError ? `${e.code}` : "a non-tRPC error"} for ${safeJson(input)}: ${String((e as Error).cause ?? e)}`,
      );
    }
  }
  const ms = performance.now() - t0;
  if (ms > SLOW_MS) throw new Error(`${path} took ${Math.round(ms)} ms for ${safeJson(input)}`);
}

const safeJson = (v: unknown) => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))?.slice(0, 300);
  } catch {
    return String(v);
  }
};

describe("every tRPC procedure, fuzzed", () => {
  it("sees the whole router", () => {
    expect(procedures.length).toBeGreaterThan(30);
  });

  for (const [path, proc] of procedures) {
    if (proc._def.type === "subscription") {
      // A subscription's body is a long-lived stream: its input schema is fuzzed on its own.
      it(`${path}: its input schema never throws anything but a validation error`, () => {
        const schema = proc._def.inputs[0] as { safeParse?: (v: unknown) => unknown } | undefined;
        if (!schema?.safeParse) return;
        fc.assert(
          fc.property(fc.oneof(anyInput, arbitraryFor(schema)), (input) => {
            schema.safeParse!(input);
          }),
          { numRuns: RUNS_PER_PROCEDURE * 4, seed: 12 },
        );
      });
      continue;
    }
    it(`${path}: no input answers 500 or takes over ${SLOW_MS} ms`, async () => {
      const shaped = proc._def.inputs.length > 0 ? arbitraryFor(proc._def.inputs[0]) : fc.constant(undefined);
      await fc.assert(
        fc.asyncProperty(fc.oneof(anyInput, shaped, shaped), (input) => expectNo500(path, input)),
        { numRuns: RUNS_PER_PROCEDURE, seed: 12, endOnFailure: true },
      );
    });
  }
});

describe("the search box, fuzzed through bookmarks.list and bookmarks.count", () => {
  const tricky = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          "ﷺ",
          "㍻",
          "ｶﾞ",
          '"',
          "「",
          "-",
          "#",
          "from:",
          "tag:",
          "is:fav",
          "has:media",
          "before:2025-01-01",
          "lang:ja",
          "機械",
          "猫",
          " ",
          "\u3000",
        ),
        fc.string({ maxLength: 6 }),
      ),
      { maxLength: 80 },
    )
    .map((a) => a.join("").slice(0, 500));
  it("answers every query (or refuses it in words) within a second", async () => {
    await fc.assert(
      fc.asyncProperty(tricky, fc.constantFrom("newest", "oldest", "relevance"), async (q, sort) => {
        await expectNo500("bookmarks.list", { filter: { q, sort } });
        await expectNo500("bookmarks.count", { filter: { q } });
      }),
      { numRuns: 100, seed: 9 },
    );
  });
});

describe("raw HTTP bodies and query strings", () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer(
      getRequestListener((req) =>
        handleTrpcHttp(req, async () =>
          createTRPCContext({ session: toAppSession({ id: userId }, new Date(Date.now() + 3600_000)), services: lib.services }),
        ),
      ),
    );
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("never answers 5xx, whatever is posted or asked for", async () => {
    // Subscriptions over HTTP are event streams that stay open by design: not requested here.
    const callable = procedures.filter(([, p]) => p._def.type !== "subscription").map(([p]) => p);
    const paths = fc.oneof(fc.constantFrom(...callable), fc.string({ maxLength: 20 }));
    const body = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.jsonValue().map((v) => JSON.stringify({ 0: { json: v } })),
    );
    await fc.assert(
      fc.asyncProperty(paths, body, fc.boolean(), async (path, payload, batch) => {
        const url = `${base}/api/trpc/${encodeURIComponent(path)}${batch ? "?batch=1" : ""}`;
        const signal = AbortSignal.timeout(SLOW_MS * 5);
        const post = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: payload, signal });
        await post.arrayBuffer();
        expect(post.status, `POST ${path} ${payload.slice(0, 100)}`).toBeLessThan(500);
        const get = await fetch(`${url}${batch ? "&" : "?"}input=${encodeURIComponent(payload)}`, { signal });
        await get.arrayBuffer();
        expect(get.status, `GET ${path} ${payload.slice(0, 100)}`).toBeLessThan(500);
      }),
      { numRuns: 100, seed: 3 },
    );
  });
});
