/**
 * Reads an uploaded import file as a stream, whatever its size: X's archive zip (or its
 * `data/bookmark.js` alone) gives post ids; a twitter-web-exporter JSON or CSV file gives whole
 * posts. Formats: ../shared/x-api/README.md, "Beyond the 800 most recent". Every problem becomes
 * an ImportFileError whose message says exactly what is wrong and where.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { pipeline, Transform, type Readable, type TransformCallback } from "node:stream";
import { parse as csvParse, CsvError } from "csv-parse";
import jsonParser from "stream-json";
import { streamArray } from "stream-json/streamers/stream-array.js";
import { open as openZip, type Entry, type ZipFile } from "yauzl";
import { z } from "zod";
import { exporterPost, POST_ID, type ExporterPost } from "./exporter";

/** A bookmark as the file gives it, in the file's order (newest first). */
export interface ParsedItem {
  postId: string;
  /** The exporter's post; null for an archive (ids only). */
  data: ExporterPost | null;
}
export type ImportFileKind = "archive" | "exporter";

/** A file we cannot import, worded for the person (never a stack trace). */
export class ImportFileError extends Error {
  override name = "ImportFileError";
}

/** A file past one of the caps (ImportFileCaps): answered 413, not 400. */
export class ImportTooLargeError extends ImportFileError {
  override name = "ImportTooLargeError";
}

/** One item (a JSON element or a CSV record) may not be larger than this: a 50 MB line is refused, not buffered. */
export const MAX_ITEM_CHARS = 1_000_000;

/** What the file is, from its first bytes (not its name): zip, archive script, JSON array or CSV. */
export async function sniff(path: string): Promise<"zip" | "ytd" | "json" | "csv" | "empty"> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(64);
    const { bytesRead } = await fh.read(buf, 0, 64, 0);
    if (bytesRead === 0) return "empty";
    if (
      buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])) ||
      buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    )
      return "zip";
    const head = buf
      .subarray(0, bytesRead)
      .toString("utf8")
      .replace(/^\uFEFF/, "")
      .trimStart();
    if (head.startsWith("window.YTD")) return "ytd";
    if (head.startsWith("[") || head.startsWith("{")) return "json";
    return "csv";
  } finally {
    await fh.close();
  }
}

/** What one file may hold (IMPORT_MAX_UNZIPPED_BYTES, IMPORT_MAX_ITEMS): past either, the file is refused. */
export interface ImportFileCaps {
  /** Bytes unpacked from a zip's bookmark files, counted as they stream out (never from the headers). */
  maxUnzippedBytes: number;
  maxItems: number;
}

const UNCAPPED: ImportFileCaps = { maxUnzippedBytes: Number.POSITIVE_INFINITY, maxItems: Number.POSITIVE_INFINITY };

const megabytes = (n: number) => `${Math.round(n / 1024 / 1024).toLocaleString("en-US")} MB`;

/** The file's kind and its items, read lazily. */
export async function readImportFile(
  path: string,
  fileName: string,
  caps: ImportFileCaps = UNCAPPED,
): Promise<{ kind: ImportFileKind; items: AsyncIterable<ParsedItem> }> {
  const what = await sniff(path);
  if (what === "empty") throw new ImportFileError("The file is empty.");
  if (/\.zip$/i.test(fileName) && what !== "zip") throw new ImportFileError(`${fileName} is not a zip file.`);
  switch (what) {
    case "zip":
      return { kind: "archive", items: atMost(archiveZipItems(path, caps.maxUnzippedBytes), caps.maxItems) };
    case "ytd":
      return { kind: "archive", items: atMost(bookmarkJsItems(createReadStream(path), fileName), caps.maxItems) };
    case "json":
      return { kind: "exporter", items: atMost(exporterJsonItems(createReadStream(path)), caps.maxItems) };
    case "csv":
      return { kind: "exporter", items: atMost(exporterCsvItems(createReadStream(path)), caps.maxItems) };
  }
}

/** Refuses a file past `max` items (before the next one is staged). */
async function* atMost(items: AsyncIterable<ParsedItem>, max: number): AsyncGenerator<ParsedItem> {
  let n = 0;
  for await (const item of items) {
    if (++n > max)
      throw new ImportTooLargeError(
        `The file holds more than ${max.toLocaleString("en-US")} bookmarks, the most one import takes (IMPORT_MAX_ITEMS). Split it, or ask the administrator to raise the limit.`,
      );
    yield item;
  }
}

// ---- X's archive ----------------------------------------------------------------------------

/** `data/bookmark.js`, also seen as `bookmarks.js` and split into `…-part1.js`, `…-part2.js`. */
const BOOKMARK_FILE = /(^|\/)bookmarks?(-part(\d+))?\.js$/;

function zipOpen(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    openZip(path, { lazyEntries: true, autoClose: false, strictFileNames: false }, (err, zip) =>
      err ? reject(new ImportFileError(`The zip file is damaged or incomplete (${err.message}).`)) : resolve(zip),
    ),
  );
}

async function bookmarkEntries(zip: ZipFile): Promise<Entry[]> {
  const found: Entry[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on("entry", (e: Entry) => {
      if (BOOKMARK_FILE.test(e.fileName)) found.push(e);
      zip.readEntry();
    });
    zip.once("end", resolve);
    zip.once("error", (err: Error) => reject(new ImportFileError(`The zip file is damaged or incomplete (${err.message}).`)));
    zip.readEntry();
  });
  const part = (e: Entry) => Number(BOOKMARK_FILE.exec(e.fileName)?.[3] ?? 0);
  return found.sort((a, b) => part(a) - part(b));
}

/**
 * Counts the bytes unpacked from the zip across all its bookmark files and stops past `max`: a
 * small zip can unpack to gigabytes (a zip bomb), and its headers' sizes are the sender's word.
 */
class UnzippedBytesCap extends Transform {
  constructor(
    private readonly counter: { bytes: number },
    private readonly max: number,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.counter.bytes += chunk.length;
    if (this.counter.bytes > this.max) {
      return cb(
        new ImportTooLargeError(
          `The zip's bookmark files unpack to more than ${megabytes(this.max)} (IMPORT_MAX_UNZIPPED_BYTES): this is not an archive X made.`,
        ),
      );
    }
    cb(null, chunk);
  }
}

async function* archiveZipItems(path: string, maxUnzippedBytes: number): AsyncGenerator<ParsedItem> {
  const unzipped = { bytes: 0 };
  const zip = await zipOpen(path);
  try {
    const entries = await bookmarkEntries(zip);
    if (entries.length === 0) {
      throw new ImportFileError(
        "No bookmarks file inside the zip (data/bookmark.js). Archives made before X added bookmarks to them have none: request a new archive from X.",
      );
    }
    for (const entry of entries) {
      const stream = await new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entry, (err, s) =>
          err ? reject(new ImportFileError(`Cannot read ${entry.fileName} in the zip: ${err.message}`)) : resolve(s),
        ),
      );
      const cap = new UnzippedBytesCap(unzipped, maxUnzippedBytes);
      stream.on("error", (e) => cap.destroy(e));
      yield* bookmarkJsItems(stream.pipe(cap), entry.fileName);
    }
  } finally {
    zip.close();
  }
}

/** Passes a `window.YTD.bookmark.part0 = […]` script on as the JSON after the `=`. */
class YtdPrefix extends Transform {
  private head = "";
  private done = false;
  constructor(private readonly fileName: string) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    if (this.done) return cb(null, chunk);
    this.head += chunk.toString("utf8");
    const eq = this.head.indexOf("=");
    if (eq < 0 && this.head.length < 200) return cb();
    const prefix = this.head.slice(0, eq).replace(/^\uFEFF/, "");
    if (eq < 0 || !/^\s*window\.YTD\.[\w$]+\.part\d+\s*$/.test(prefix)) {
      return cb(new ImportFileError(`${this.fileName} does not start with window.YTD.bookmark.part0 = [ … ] as X's archive files do.`));
    }
    this.done = true;
    cb(null, Buffer.from(this.head.slice(eq + 1), "utf8"));
  }
  override _flush(cb: TransformCallback): void {
    cb(this.done ? null : new ImportFileError(`${this.fileName} is not one of X's archive files.`));
  }
}

const archiveEntry = z.object({ bookmark: z.object({ tweetId: z.string() }) });

async function* bookmarkJsItems(source: Readable, fileName: string): AsyncGenerator<ParsedItem> {
  for await (const { index, value } of jsonArray(source, fileName, new YtdPrefix(fileName))) {
    const entry = archiveEntry.safeParse(value);
    if (!entry.success) throw new ImportFileError(`${fileName}, item ${index + 1}: expected { "bookmark": { "tweetId": "…" } }.`);
    const id = entry.data.bookmark.tweetId;
    if (!POST_ID.test(id)) throw new ImportFileError(`${fileName}, item ${index + 1}: "${id.slice(0, 40)}" is not a post id.`);
    yield { postId: id, data: null };
  }
}

// ---- twitter-web-exporter -------------------------------------------------------------------

function itemError(where: string, error: z.ZodError): ImportFileError {
  const first = error.issues[0];
  const field = first?.path.join(".") || "(item)";
  return new ImportFileError(`${where}: ${field} ${first?.message ?? "is not valid"}.`);
}

async function* exporterJsonItems(source: Readable): AsyncGenerator<ParsedItem> {
  for await (const { index, value } of jsonArray(source, "The JSON file")) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ImportFileError(
        `Item ${index + 1} of the JSON file is not a post: expected twitter-web-exporter's bookmarks export (a list of posts with id, full_text, screen_name, …).`,
      );
    }
    const post = exporterPost.safeParse(value);
    if (!post.success) throw itemError(`Item ${index + 1} of the JSON file`, post.error);
    yield { postId: post.data.id, data: post.data };
  }
}

async function* exporterCsvItems(source: Readable): AsyncGenerator<ParsedItem> {
  const records = source.pipe(
    csvParse({ bom: true, columns: true, info: true, max_record_size: MAX_ITEM_CHARS, skip_empty_lines: true, relax_quotes: false }),
  );
  source.on("error", (e) => records.destroy(e));
  let header = true;
  try {
    for await (const { record, info } of records as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (header) {
        header = false;
        for (const col of ["id", "full_text", "screen_name", "created_at"]) {
          if (!(col in record))
            throw new ImportFileError(`The CSV file has no "${col}" column: expected twitter-web-exporter's bookmarks export.`);
        }
      }
      const line = info.lines;
      // Newlines inside fields are written as a literal \n.
      const row = { ...record, full_text: (record.full_text ?? "").replace(/\\n/g, "\n") };
      const post = exporterPost.safeParse(row);
      if (!post.success) throw itemError(`Line ${line} of the CSV file`, post.error);
      yield { postId: post.data.id, data: post.data };
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      const why =
        e.code === "CSV_MAX_RECORD_SIZE"
          ? `is longer than ${MAX_ITEM_CHARS.toLocaleString("en")} characters`
          : `is not valid CSV (${e.message.replace(/^Invalid [^:]*: /, "")})`;
      throw new ImportFileError(`Line ${line ?? "?"} of the CSV file ${why}.`);
    }
    throw e;
  }
}

// ---- streaming JSON -------------------------------------------------------------------------

/** How deep an item of an import file may nest (an exporter post is a few levels deep). */
const MAX_ITEM_DEPTH = 32;

/** Refuses an element of the top-level array that is larger than MAX_ITEM_CHARS, before it is assembled. */
class ItemSizeGuard extends Transform {
  private depth = 0;
  private size = 0;
  private index = 0;
  constructor(private readonly where: string) {
    super({ objectMode: true });
  }
  override _transform(token: { name: string; value?: unknown }, _enc: BufferEncoding, cb: TransformCallback): void {
    if (token.name === "startObject" || token.name === "startArray") this.depth++;
    else if (token.name === "endObject" || token.name === "endArray") this.depth--;
    // Every token counts (brackets and literals too), or `[[[[…` of 200 MB would pass the cap and
    // be assembled in memory; and no post is nested deeper than a few levels.
    this.size += 1 + (token.name === "stringChunk" || token.name === "numberChunk" ? (token.value as string).length : 0);
    if (this.depth > MAX_ITEM_DEPTH)
      return cb(new ImportFileError(`${this.where}: item ${this.index + 1} is nested more than ${MAX_ITEM_DEPTH} levels deep.`));
    if (this.depth === 0 && token.name === "startArray") this.size = 0;
    if (
      this.depth === 1 &&
      (token.name === "endObject" || token.name === "endArray" || token.name === "endString" || token.name === "endNumber")
    ) {
      this.index++;
      this.size = 0;
    }
    if (this.size > MAX_ITEM_CHARS)
      return cb(
        new ImportFileError(`${this.where}: item ${this.index + 1} is larger than ${MAX_ITEM_CHARS.toLocaleString("en")} characters.`),
      );
    cb(null, token);
  }
}

async function* jsonArray(source: Readable, where: string, before?: Transform): AsyncGenerator<{ index: number; value: unknown }> {
  const stages = [source, ...(before ? [before] : []), jsonParser(), new ItemSizeGuard(where), streamArray.asStream()] as const;
  const out = (pipeline as (...s: unknown[]) => Readable)(...stages, () => undefined);
  let index = 0;
  try {
    for await (const { key, value } of out as AsyncIterable<{ key: number; value: unknown }>) {
      index = key;
      yield { index: key, value };
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    const msg = (e as Error).message ?? String(e);
    if (/top-level.*array|should be an array|is not an array/i.test(msg))
      throw new ImportFileError(`${where} is not a list: expected [ … ].`);
    throw new ImportFileError(`${where} is not valid JSON after item ${index + 1} (${msg.split("\n")[0]}).`);
  } finally {
    out.destroy();
  }
}
