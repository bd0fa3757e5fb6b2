import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import { toAppSession } from "~/server/session";
import { createLibraryUser, libraryHarness } from "~/testing/library-seed";
import { importUpload, type UploadDeps } from "./upload";

/**
 * The upload's abuse limits (issue 12 on POST /api/import): what a file may unpack to and hold,
 * one upload at a time per user, and uploads per hour. Real Postgres and Redis; no X needed.
 */
let h: ReturnType<typeof libraryHarness>;
beforeAll(async () => {
  h = libraryHarness({ limits: { importsPerHour: 3 } });
  await h.services.limits.whenConnected();
});
afterAll(async () => {
  await h?.close();
});

const deps = (over: Partial<UploadDeps> = {}): UploadDeps => ({
  db: h.db,
  maxBytes: 50 * 1024 * 1024,
  maxUnzippedBytes: 1024 * 1024,
  maxItems: 10,
  limits: h.services.limits,
  readPriceUsd: 0.005,
  allowedOrigins: new Set(["http://127.0.0.1"]),
  ...over,
});

type Body = Buffer | ReadableStream<Uint8Array>;
async function upload(userId: string, body: Body, fileName: string, over: Partial<UploadDeps> = {}) {
  const req = new Request("http://127.0.0.1/api/import", {
    method: "POST",
    body: body instanceof Buffer ? new Uint8Array(body) : body,
    headers: { origin: "http://127.0.0.1", "x-file-name": fileName },
    ...(body instanceof Buffer ? {} : { duplex: "half" }),
  } as RequestInit);
  const res = await importUpload(deps(over), toAppSession({ id: userId }, new Date(Date.now() + 3600_000)), req);
  return {
    status: res.status,
    retryAfter: res.headers.get("retry-after"),
    body: (await res.json()) as { error?: string; total?: number; importId?: string },
  };
}

/** X's archive script of `n` post ids. */
const bookmarkJs = (n: number) =>
  `window.YTD.bookmark.part0 = ${JSON.stringify(Array.from({ length: n }, (_, i) => ({ bookmark: { tweetId: String(1_800_000_000_000_000_000n + BigInt(i)) } })))}`;

/** A zip of `files` made by yazl (deflated, with true sizes in its headers). */
async function zipOf(files: [string, Buffer | Readable][]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, data] of files) {
    if (Buffer.isBuffer(data)) zip.addBuffer(data, name);
    else zip.addReadStream(data as Readable, name);
  }
  zip.end();
  const parts: Buffer[] = [];
  for await (const chunk of zip.outputStream as Readable) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

/** `mb` megabytes of spaces, streamed (never held whole). */
function spaces(mb: number): Readable {
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let left = mb;
  return new Readable({
    read() {
      this.push(left-- > 0 ? chunk : null);
    },
  });
}

describe("import upload: abuse limits", () => {
  it("a zip bomb: the bookmark file's unpacked bytes are counted as they stream and refused past the cap", async () => {
    const user = await createLibraryUser(h.db);
    // 64 MB of JSON whitespace inside a valid archive script: about 64 KB zipped.
    const inner = Readable.from(
      (async function* () {
        yield Buffer.from("window.YTD.bookmark.part0 = [");
        for await (const c of spaces(64)) yield c as Buffer;
        yield Buffer.from(`${JSON.stringify({ bookmark: { tweetId: "1800000000000000000" } })}]`);
      })(),
    );
    const bomb = await zipOf([["data/bookmark.js", inner]]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const r = await upload(user.id, bomb, "archive.zip");
    expect(r.status).toBe(413);
    expect(r.body.error).toBe(
      "The zip's bookmark files unpack to more than 1 MB (IMPORT_MAX_UNZIPPED_BYTES): this is not an archive X made.",
    );
    // Split across parts, the bytes are counted together.
    const parts = await zipOf([
      ["data/bookmark-part1.js", Buffer.from(`window.YTD.bookmark.part1 = [${" ".repeat(600 * 1024)}]`)],
      ["data/bookmark-part2.js", Buffer.from(`window.YTD.bookmark.part2 = [${" ".repeat(600 * 1024)}]`)],
    ]);
    expect((await upload(user.id, parts, "archive.zip")).status).toBe(413);
    // The same archive under the cap is read.
    const ok = await upload(user.id, await zipOf([["data/bookmark.js", Buffer.from(bookmarkJs(3))]]), "archive.zip");
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.total).toBe(3);
    expect(await h.db.importItem.count({ where: { import: { userId: user.id } } })).toBe(3);
  });

  it("a file past the item cap is refused and writes nothing", async () => {
    const user = await createLibraryUser(h.db);
    const r = await upload(user.id, Buffer.from(bookmarkJs(11)), "bookmark.js");
    expect(r.status).toBe(413);
    expect(r.body.error).toMatch(/^The file holds more than 10 bookmarks, the most one import takes \(IMPORT_MAX_ITEMS\)\./);
    expect(await h.db.import.count({ where: { userId: user.id } })).toBe(0);
    expect((await upload(user.id, Buffer.from(bookmarkJs(10)), "bookmark.js")).status).toBe(200);
  });

  it("one upload at a time per user: a parallel one is 409, another user's is not held up; the slot is freed after", async () => {
    const [alice, bob] = [await createLibraryUser(h.db), await createLibraryUser(h.db)];
    // Alice's first upload stays open (its body not yet ended) while the others arrive.
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const open = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) });
    push.enqueue(new TextEncoder().encode(bookmarkJs(2).slice(0, 40)));
    const first = upload(alice.id, open, "bookmark.js");
    // Wait until the first upload holds its slot (then a parallel one is refused).
    let parallel: Awaited<ReturnType<typeof upload>>;
    for (;;) {
      parallel = await upload(alice.id, Buffer.from(bookmarkJs(2)), "bookmark.js");
      if (parallel.status === 409) break;
      expect(parallel.status).toBe(200);
    }
    expect(parallel.body.error).toBe("One of your import files is still being read: wait for it to finish, then upload the next one.");
    expect((await upload(bob.id, Buffer.from(bookmarkJs(2)), "bookmark.js")).status).toBe(200);
    push.enqueue(new TextEncoder().encode(bookmarkJs(2).slice(40)));
    push.close();
    expect((await first).status).toBe(200);
    expect((await upload(alice.id, Buffer.from(bookmarkJs(2)), "bookmark.js")).status).toBe(200);
  });

  it("an import still running: a new upload is 409", async () => {
    const user = await createLibraryUser(h.db);
    const up = await upload(user.id, Buffer.from(bookmarkJs(2)), "bookmark.js");
    await h.db.import.update({ where: { id: up.body.importId! }, data: { status: "RUNNING" } });
    const r = await upload(user.id, Buffer.from(bookmarkJs(2)), "bookmark.js");
    expect(r.status).toBe(409);
    expect(r.body.error).toMatch(/^An import of yours is still running/);
  });

  it("uploads per hour: past RATE_LIMIT_IMPORTS_PER_HOUR, 429 with Retry-After", async () => {
    const user = await createLibraryUser(h.db);
    for (let i = 0; i < 3; i++) expect((await upload(user.id, Buffer.from(bookmarkJs(1)), "bookmark.js")).status).toBe(200);
    const r = await upload(user.id, Buffer.from(bookmarkJs(1)), "bookmark.js");
    expect(r.status).toBe(429);
    expect(Number(r.retryAfter)).toBeGreaterThan(0);
    expect(r.body.error).toMatch(/^You have uploaded 3 import files in the last hour, the most allowed\. Try again in /);
    // Refused uploads do not hold the slot: another user is unaffected.
    expect((await upload((await createLibraryUser(h.db)).id, Buffer.from(bookmarkJs(1)), "bookmark.js")).status).toBe(200);
  });
});
