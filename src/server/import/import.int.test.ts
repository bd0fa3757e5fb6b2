import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Import } from "~/generated/prisma/client";
import { toAppSession } from "~/server/session";
import { startHarness, type Harness } from "~/testing/harness";
import type { TestUser } from "~/testing/link-account";
import { importUpload, type UploadAnswer, type UploadDeps } from "./upload";

let h: Harness;
beforeAll(async () => {
  // A seed of its own: posts stored once are shared, and other files' sandboxes (seed 1) would
  // otherwise store some of this account's posts while it runs, changing what is left to fetch.
  h = await startHarness({ pageSize: 90, sandbox: { seed: 13 } });
});
afterAll(async () => {
  await h?.close();
});

const MAX = 200 * 1024 * 1024;
/** The upload's settings as the route gives them (limits: the harness's own, through Redis). */
const deps = (over: Partial<UploadDeps> = {}): UploadDeps => ({
  db: h.db,
  maxBytes: MAX,
  maxUnzippedBytes: MAX,
  maxItems: 1_000_000,
  limits: h.services.limits,
  readPriceUsd: 0.005,
  allowedOrigins: new Set(["http://127.0.0.1"]),
  ...over,
});

async function file(path: string): Promise<Buffer> {
  const res = await fetch(`${h.sandbox.url}/_sandbox${path}`);
  if (!res.ok) throw new Error(`${path}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

async function upload(
  user: { id: string },
  body: Buffer | string,
  fileName: string,
  headers: Record<string, string> = {},
  over: Partial<UploadDeps> = {},
) {
  const req = new Request("http://127.0.0.1/api/import", {
    method: "POST",
    body: typeof body === "string" ? body : new Uint8Array(body),
    headers: { origin: "http://127.0.0.1", "x-file-name": encodeURIComponent(fileName), ...headers },
  });
  const res = await importUpload(deps(over), toAppSession({ id: user.id }, new Date(Date.now() + 3600_000)), req);
  return { status: res.status, body: (await res.json()) as UploadAnswer & { error?: string } };
}

async function waitForImport(importId: string, timeoutMs = 120_000): Promise<Import> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const imp = await h.db.import.findUniqueOrThrow({ where: { id: importId } });
    if (imp.status === "SUCCEEDED" || imp.status === "FAILED") return imp;
    if (Date.now() > end) throw new Error(`import ${importId} still ${imp.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runImport(user: TestUser, body: Buffer, fileName: string) {
  const up = await upload(user, body, fileName);
  expect(up.status, JSON.stringify(up.body)).toBe(200);
  await h.caller(user.id).imports.confirm({ importId: up.body.importId });
  return { preview: up.body, done: await waitForImport(up.body.importId) };
}

/** Posts among `ids` of which X's own copy is stored (not only an uploaded file's). */
const storedFromX = (ids: string[]) =>
  h.db.$queryRaw<{ id: string }[]>`SELECT id FROM "Post" WHERE id = ANY(${ids}) AND raw->>'source' IS DISTINCT FROM 'twitter-web-exporter'`;

const tweetsCalls = async (xId: string) => (await h.control<{ apiCalls: { tweets: number } }>("GET", `/users/${xId}`)).apiCalls.tweets;

async function syncAll(user: TestUser) {
  const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId, 60_000);
  expect(run.status).toBe("SUCCEEDED");
  return run;
}

describe("import: the whole library, not X's last 800", () => {
  it("3,000 bookmarks: sync (800), archive import → 3,000 rows, one per post, in X's order, 22 lookup calls; twice changes nothing", async () => {
    const user = await h.createUser(3000);
    await syncAll(user);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(800);

    const archive = await file(`/users/${user.xId}/archive`);
    // Posts the sync already stored as quoted or replied-to posts need no lookup (stored once).
    const truthIds = await h.sandboxIds(user.xId);
    const stored = await h.db.post.count({ where: { id: { in: truthIds.slice(800) } } });
    const toFetch = 2200 - stored;
    const cost = toFetch * 0.005;
    // 22 with an empty database; posts other users' syncs stored need no call either.
    const calls = Math.ceil(toFetch / 100);
    const { preview, done } = await runImport(user, archive, "twitter-archive.zip");
    expect(preview).toMatchObject({ kind: "archive", total: 3000, alreadyHere: 800, newCount: 2200, toFetch, estimatedCalls: calls });
    expect(preview.estimatedCostUsd).toBeCloseTo(cost, 6);
    expect(preview.sentence).toBe(
      `3,000 bookmarks: 800 already here, 2,200 new; ${toFetch.toLocaleString("en-US")} posts to fetch from X, about ${calls} API calls, estimated $${cost.toFixed(2)} (reads already billed today are free)`,
    );
    expect(done).toMatchObject({ status: "SUCCEEDED", saved: 2200, skipped: 800, apiCalls: calls, deletedOnX: 0 });
    // Posts the lookups brought as quoted or replied-to posts are stored too: ids further down the
    // file that they cover need no lookup, so X may return fewer than the estimate.
    expect(done.fetched).toBeLessThanOrEqual(toFetch);
    expect(done.fetched).toBeGreaterThan(toFetch - 100);
    expect(done.costUsd).toBeCloseTo(done.fetched * 0.005, 6);
    expect(await tweetsCalls(user.xId)).toBe(calls);
    const truth = await h.sandboxIds(user.xId);
    expect(await h.libraryIds(user.id)).toEqual(truth);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(3000);
    expect(await h.db.bookmark.groupBy({ by: ["source"], where: { userId: user.id }, _count: true, orderBy: { source: "asc" } })).toEqual([
      { source: "SYNC", _count: 800 },
      { source: "ARCHIVE", _count: 2200 },
    ]);
    expect(await h.db.importItem.count({ where: { importId: done.id } })).toBe(0);
    // The library pages show imported posts like synced ones.
    const page = await h.caller(user.id).bookmarks.list({ limit: 5, filter: { sort: "oldest" } });
    expect(page.items[0]!.post.id).toBe(truth.at(-1));
    expect(page.items[0]!.author.username).not.toBe("");

    // A second import of the same file, and a later sync, change nothing.
    const before = await h.db.bookmark.findMany({
      where: { userId: user.id },
      orderBy: { id: "asc" },
      select: { id: true, postId: true, source: true, importedAt: true },
    });
    const again = await runImport(user, archive, "twitter-archive.zip");
    expect(again.preview).toMatchObject({ alreadyHere: 3000, newCount: 0, toFetch: 0, estimatedCalls: 0 });
    expect(again.preview.sentence).toBe("3,000 bookmarks: 3,000 already here, 0 new; no API calls needed");
    expect(again.done).toMatchObject({ status: "SUCCEEDED", saved: 0, skipped: 3000, apiCalls: 0 });
    await syncAll(user);
    expect(
      await h.db.bookmark.findMany({
        where: { userId: user.id },
        orderBy: { id: "asc" },
        select: { id: true, postId: true, source: true, importedAt: true },
      }),
    ).toEqual(before);
    expect(await h.libraryIds(user.id)).toEqual(truth);
    expect(await h.db.bookmark.count({ where: { userId: user.id, removedOnXAt: { not: null } } })).toBe(0);
    expect(await tweetsCalls(user.xId)).toBe(calls);
  }, 240_000);

  it("an exporter file (JSON or CSV) needs no API call", async () => {
    const user = await h.createUser(1500);
    await syncAll(user);
    const { preview, done } = await runImport(user, await file(`/users/${user.xId}/export?format=csv`), "twitter-Bookmarks.csv");
    expect(preview).toMatchObject({ kind: "exporter", total: 1500, alreadyHere: 800, newCount: 700, toFetch: 0 });
    expect(preview.sentence).toBe("1,500 bookmarks: 800 already here, 700 new; no API calls needed");
    expect(done).toMatchObject({ status: "SUCCEEDED", saved: 700, apiCalls: 0 });
    expect(await tweetsCalls(user.xId)).toBe(0);
    expect(await h.libraryIds(user.id)).toEqual(await h.sandboxIds(user.xId));
    expect(await h.db.bookmark.count({ where: { userId: user.id, source: "EXPORTER" } })).toBe(700);
    // The JSON of the same list changes nothing more.
    const json = await runImport(user, await file(`/users/${user.xId}/export?format=json`), "twitter-Bookmarks.json");
    expect(json.done).toMatchObject({ saved: 0, skipped: 1500, apiCalls: 0 });
  }, 180_000);

  it("a post deleted on X becomes a stub; another user's import never touches this user", async () => {
    const alice = await h.createUser(300);
    const bob = await h.createUser(50);
    await syncAll(bob);
    const bobBefore = await h.libraryIds(bob.id);
    const ids = await h.sandboxIds(alice.xId);
    // Sandbox accounts share a pool of posts: some are stored already (by other tests' users) and
    // are not fetched again, unless only an exporter file brought them (not trusted).
    const stored = new Set((await storedFromX(ids)).map((p) => p.id));
    const unknown = ids.filter((id) => !stored.has(id));
    const gone = [unknown[3]!, unknown.at(-2)!];
    for (const id of gone) await h.control("DELETE", `/posts/${id}`);
    const { done } = await runImport(alice, await file(`/users/${alice.xId}/archive`), "archive.zip");
    expect(done).toMatchObject({
      status: "SUCCEEDED",
      saved: 300,
      fetched: unknown.length - 2,
      deletedOnX: 2,
      apiCalls: Math.ceil(unknown.length / 100),
    });
    expect(await h.libraryIds(alice.id)).toEqual(ids);
    const stubs = await h.db.post.findMany({ where: { id: { in: gone } } });
    expect(stubs).toHaveLength(2);
    for (const s of stubs) expect(s).toMatchObject({ authorId: null, text: "", deletedOnXAt: expect.any(Date) });
    // Listed with the rest (no author), not as "removed from your X bookmarks" nor deleted here.
    const marks = await h.db.bookmark.findMany({ where: { userId: alice.id, postId: { in: gone } } });
    for (const b of marks) expect(b).toMatchObject({ removedOnXAt: null, deletedAt: null, source: "ARCHIVE" });
    expect(await h.libraryIds(bob.id)).toEqual(bobBefore);
    expect(await h.db.bookmark.count({ where: { userId: bob.id } })).toBe(50);
    // Bob cannot confirm Alice's import.
    await expect(h.caller(bob.id).imports.confirm({ importId: done.id })).rejects.toThrow(/gone/);
  }, 120_000);

  it("an exporter file's posts are its uploader's word: never the shared truth for anyone else", async () => {
    const alice = await h.createUser(160);
    const [bob, carol] = [await h.createUser(1), await h.createUser(1)];
    const ids = await h.sandboxIds(alice.xId);
    // Alice's file says what she likes about the posts.
    const real = JSON.parse((await file(`/users/${alice.xId}/export?format=json`)).toString("utf8")) as {
      id: string;
      full_text: string;
      name: string;
    }[];
    const forged = real.map((p) => ({ ...p, full_text: `FORGED ${p.id}`, name: "Not Their Name" }));
    const mine = await runImport(alice, Buffer.from(JSON.stringify(forged)), "forged.json");
    expect(mine.done).toMatchObject({ status: "SUCCEEDED", saved: 160 });
    // The posts no one had stored now hold her file's copy, marked as a file's word; her own
    // library shows it.
    const fileRows = await h.db.post.findMany({
      where: { id: { in: ids }, raw: { path: ["source"], equals: "twitter-web-exporter" } },
      orderBy: { id: "asc" },
    });
    expect(fileRows.length).toBeGreaterThan(100);
    for (const p of fileRows) expect(p.text).toBe(`FORGED ${p.id}`);
    const fileIds = fileRows.map((p) => p.id);
    expect((await h.db.bookmark.findFirstOrThrow({ where: { userId: alice.id, postId: fileIds[0]! } })).postText).toBe(
      `FORGED ${fileIds[0]}`,
    );
    const rawOf = async (id: string) =>
      (await h.db.post.findUniqueOrThrow({ where: { id } })) as { text: string; raw: { source?: string } };

    // Bob's archive holds 80 of them: they count as not stored, are fetched from X, and X's copy replaces the file's.
    const half = fileIds.slice(0, 80);
    const archive = `window.YTD.bookmark.part0 = ${JSON.stringify(half.map((tweetId) => ({ bookmark: { tweetId } })))}`;
    const bobs = await runImport(bob, Buffer.from(archive), "bookmark.js");
    expect(bobs.preview).toMatchObject({ total: 80, toFetch: 80, estimatedCalls: 1 });
    expect(bobs.done).toMatchObject({ status: "SUCCEEDED", saved: 80, fetched: 80, apiCalls: 1 });
    for (const id of [half[0]!, half[79]!]) {
      const post = await rawOf(id);
      expect(post.text).not.toMatch(/FORGED/);
      expect(post.raw.source).toBeUndefined();
      expect((await h.db.bookmark.findFirstOrThrow({ where: { userId: bob.id, postId: id } })).postText).toBe(post.text);
    }

    // Carol uploads the same forged file: the posts only Alice's file brought are fetched from X
    // (her preview says so); the others (X's copy stored) are used as they are.
    const rest = fileIds.slice(80);
    const carols = await runImport(carol, Buffer.from(JSON.stringify(forged)), "forged.json");
    expect(carols.preview).toMatchObject({ kind: "exporter", total: 160, toFetch: rest.length, estimatedCalls: 1 });
    expect(carols.preview.sentence).toMatch(new RegExp(`; ${rest.length} posts to fetch from X, about 1 API call`));
    expect(carols.done).toMatchObject({ status: "SUCCEEDED", saved: 160, fetched: rest.length, apiCalls: 1 });
    const carolMarks = await h.db.bookmark.findMany({ where: { userId: carol.id } });
    expect(carolMarks.filter((b) => /FORGED/.test(b.postText))).toEqual([]);
    expect(await h.db.post.count({ where: { id: { in: ids }, text: { startsWith: "FORGED" } } })).toBe(0);
    // Authors too: X's names replaced the file's.
    expect(await h.db.xAuthor.count({ where: { name: "Not Their Name" } })).toBe(0);
    // Alice keeps her bookmarks, in her order; her cards now show X's copy.
    expect(await h.libraryIds(alice.id)).toEqual(ids);
  }, 180_000);

  it("malformed files get their message and write nothing", async () => {
    const user = await h.createUser(120);
    const archive = await file(`/users/${user.xId}/archive`);
    const header = "id,created_at,full_text,media,screen_name,name,profile_image_url,user_id";
    const cases: [string, Buffer | string, RegExp][] = [
      ["cut.zip", archive.subarray(0, archive.length - 100), /^The zip file is damaged or incomplete/],
      ["notes.zip", "just text", /^notes\.zip is not a zip file\.$/],
      ["b.json", JSON.stringify({ bookmarks: [1, 2] }), /is not a list|not valid JSON/],
      ["b.json", JSON.stringify([{ tweetId: "1" }]), /^Item 1 of the JSON file: id /],
      [
        "b.csv",
        `${header}\n1,2025-01-01 00:00:00 +00:00,${"x".repeat(50 * 1024 * 1024)},[],s,S,,1\n`,
        /^Line 2 of the CSV file is longer than/,
      ],
      ["b.csv", `${header}\n12a,2025-01-01 00:00:00 +00:00,hi,[],s,S,,1\n`, /^Line 2 of the CSV file: id is not a post id\.$/],
    ];
    for (const [name, body, message] of cases) {
      const r = await upload(user, Buffer.from(body), name);
      expect(r.status, name).toBe(400);
      expect(r.body.error).toMatch(message);
    }
    expect(await h.db.import.count({ where: { userId: user.id } })).toBe(0);
    expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(0);

    // Too large, from another site, not logged in.
    const small = await importUpload(
      deps({ maxBytes: 1000 }),
      toAppSession({ id: user.id }, new Date(Date.now() + 60_000)),
      new Request("http://127.0.0.1/api/import", {
        method: "POST",
        body: new Uint8Array(archive),
        headers: { origin: "http://127.0.0.1" },
      }),
    );
    expect(small.status).toBe(413);
    const cross = await upload(user, archive, "a.zip", { origin: "https://evil.example", host: "127.0.0.1" });
    expect(cross.status).toBe(403);
    const anon = await importUpload(
      deps(),
      null,
      new Request("http://127.0.0.1/api/import", {
        method: "POST",
        body: new Uint8Array(archive),
        headers: { origin: "http://127.0.0.1" },
      }),
    );
    expect(anon.status).toBe(401);
    expect(await h.db.import.count({ where: { userId: user.id } })).toBe(0);
  }, 120_000);
});
