/**
 * POST /api/import: the file as the request body (any of X's archive zip, data/bookmark.js, a
 * twitter-web-exporter JSON or CSV; its name in `x-file-name`). Streamed to a temporary file
 * (never held in memory; refused past IMPORT_MAX_BYTES), read as a stream into the staging
 * table, and answered with the preview. Nothing is imported until the person confirms.
 */
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import type { Db } from "~/server/db";
import { checkOrigin } from "~/server/http/origin";
import { RateLimitedError, type RateLimits } from "~/server/limits/rate-limits";
import type { AppSession } from "~/server/session";
import { ImportFileError, ImportTooLargeError, readImportFile, type ImportFileCaps } from "./parse";
import { previewSentence, stageImport, type ImportPreview } from "./stage";

export interface UploadDeps extends ImportFileCaps {
  db: Db;
  maxBytes: number;
  /** Uploads per user per hour and one at a time (issue 12: no one person fills the pool). */
  limits: Pick<RateLimits, "consume" | "acquireImportSlot">;
  readPriceUsd: number;
  /** Origins whose pages may upload (allowedOrigins(): the app's own). */
  allowedOrigins: ReadonlySet<string>;
}

export type UploadAnswer = ImportPreview & { sentence: string };

function problem(status: number, error: string, headers: Record<string, string> = {}): Response {
  return Response.json({ error }, { status, headers: { "cache-control": "no-store", ...headers } });
}

const STILL_RUNNING =
  "An import of yours is still running: wait for it to finish (its progress is on the Import page), then upload the next file.";

class TooLarge extends Error {}

function megabytes(n: number): string {
  return `${Math.round(n / 1024 / 1024).toLocaleString("en-US")} MB`;
}

export async function importUpload(deps: UploadDeps, session: AppSession | null, req: Request): Promise<Response> {
  if (!session) return problem(401, "Log in to import bookmarks.");
  const origin = checkOrigin(req.headers, deps.allowedOrigins);
  if (!origin.ok) return problem(403, `This upload did not come from X Bookmarker's own page. ${origin.reason}`);
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > deps.maxBytes) return problem(413, `The file is larger than ${megabytes(deps.maxBytes)} (IMPORT_MAX_BYTES).`);
  if (!req.body) return problem(400, "No file was sent.");
  const fileName = safeName(req.headers.get("x-file-name"));
  const userId = session.user.id;

  // One upload at a time per user (409), then the hourly count (429): parallel uploads cannot
  // occupy the web's database pool, nor a stream of uploads its disk and CPU.
  let release: () => Promise<void>;
  try {
    release = await deps.limits.acquireImportSlot(userId);
    await deps.limits.consume("imports", { kind: "user", id: userId }).catch(async (e: unknown) => {
      await release();
      throw e;
    });
  } catch (e) {
    if (!(e instanceof RateLimitedError)) throw e;
    if (e.limit === "importSlot") return problem(409, e.message);
    return problem(429, e.message, { "retry-after": String(e.retryAfterSeconds) });
  }
  const dir = await mkdtemp(path.join(tmpdir(), "xb-import-")).catch(async (e: unknown) => {
    await release();
    throw e;
  });
  const file = path.join(dir, "upload");
  try {
    // A confirmed import still at work: its order keys and counts assume it is the only one.
    if (await deps.db.import.count({ where: { userId, status: { in: ["QUEUED", "RUNNING"] } } })) return problem(409, STILL_RUNNING);
    let seen = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        seen += chunk.length;
        cb(seen > deps.maxBytes ? new TooLarge() : null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(req.body as WebReadableStream), limit, createWriteStream(file));
    const { kind, items } = await readImportFile(file, fileName, deps);
    const preview = await stageImport(deps.db, { userId, fileName, kind, items, readPriceUsd: deps.readPriceUsd });
    if (preview.total === 0) {
      await deps.db.import.delete({ where: { id: preview.importId } });
      return problem(400, `${fileName} holds no bookmarks.`);
    }
    const answer: UploadAnswer = { ...preview, sentence: previewSentence(preview) };
    return Response.json(answer, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    if (e instanceof TooLarge) return problem(413, `The file is larger than ${megabytes(deps.maxBytes)} (IMPORT_MAX_BYTES).`);
    if (e instanceof ImportTooLargeError) return problem(413, e.message);
    if (e instanceof ImportFileError) return problem(400, e.message);
    throw e;
  } finally {
    await rm(dir, { recursive: true, force: true });
    await release();
  }
}

/** The file's own name for messages (decoded, path and control characters stripped). */
function safeName(raw: string | null): string {
  let name = "upload";
  try {
    if (raw) name = decodeURIComponent(raw);
  } catch {
    name = raw ?? name;
  }
  return (
    path
      .basename(name)
      .replace(/[\u0000-\u001f]/g, "")
      .slice(0, 200) || "upload"
  );
}
