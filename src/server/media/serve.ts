import { Readable } from "node:stream";
import parseRange from "range-parser";
import type { Db } from "~/server/db";
import type { AppSession } from "~/server/session";
import { SHA256_HEX, type MediaStore } from "./store";

/** Content never changes under its hash: cache for a year, but only in this person's browser. */
const CACHE_CONTROL = "private, max-age=31536000, immutable";

function plain(status: number, text: string, headers: Record<string, string> = {}): Response {
  return new Response(text, { status, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers } });
}

/**
 * GET /api/media/<sha256>: an archived file, for a signed-in user who has a (not deleted)
 * bookmark of a post showing it; anyone else gets 404, as if it did not exist. ETag is the hash
 * (304 on If-None-Match); Range requests get 206 (videos seek) or 416.
 */
export async function serveMedia(
  deps: { db: Db; store: MediaStore },
  session: AppSession | null,
  req: Request,
  hash: string,
): Promise<Response> {
  if (!session) return plain(401, "Log in to see archived media.");
  if (!SHA256_HEX.test(hash)) return plain(404, "Not found.");
  const rows = await deps.db.$queryRaw<{ contentType: string; size: bigint }[]>`
    SELECT f."contentType", f.size FROM "MediaFile" f
    WHERE f.sha256 = ${hash} AND EXISTS (
      SELECT 1 FROM "MediaAsset" a JOIN "Bookmark" b ON b."postId" = a."postId"
      WHERE (a.sha256 = ${hash} OR a."thumbSha256" = ${hash}) AND b."userId" = ${session.user.id} AND b."deletedAt" IS NULL)`;
  const file = rows[0];
  if (!file) return plain(404, "Not found.");
  const size = Number(file.size);
  const etag = `"${hash}"`;
  const common = {
    etag,
    "cache-control": CACHE_CONTROL,
    "accept-ranges": "bytes",
    "content-type": file.contentType,
    "x-content-type-options": "nosniff",
  };
  if (
    req.headers
      .get("if-none-match")
      ?.split(",")
      .some((t) => t.trim().replace(/^W\//, "") === etag)
  ) {
    return new Response(null, { status: 304, headers: common });
  }

  const rangeHeader = req.headers.get("range");
  // If-Range with another validator: send the whole file (ours never changes, but be correct).
  const ifRange = req.headers.get("if-range");
  const ranges = rangeHeader && (!ifRange || ifRange === etag) ? parseRange(size, rangeHeader, { combine: true }) : null;
  if (ranges === -1) return plain(416, "Range not satisfiable.", { "content-range": `bytes */${size}`, "accept-ranges": "bytes" });
  const head = req.method === "HEAD";
  if (Array.isArray(ranges) && ranges.type === "bytes" && ranges.length >= 1) {
    // Several ranges are answered with the first (a multipart answer is allowed, never needed by players).
    const r = ranges[0]!;
    const body = head ? null : await deps.store.read(hash, r);
    if (!head && !body) return plain(404, "Not found.");
    return new Response(body ? (Readable.toWeb(body) as ReadableStream) : null, {
      status: 206,
      headers: { ...common, "content-range": `bytes ${r.start}-${r.end}/${size}`, "content-length": String(r.end - r.start + 1) },
    });
  }
  const body = head ? null : await deps.store.read(hash);
  if (!head && !body) return plain(404, "Not found.");
  return new Response(body ? (Readable.toWeb(body) as ReadableStream) : null, {
    status: 200,
    headers: { ...common, "content-length": String(size) },
  });
}
