import { createHash } from "node:crypto";

/**
 * Conditional GET for tRPC query answers: a weak ETag over the body, and 304 Not Modified when
 * the browser already holds that body. The query still runs (the ETag is of its answer), but an
 * unchanged library page costs a few header bytes on the wire instead of the whole JSON.
 */

// The browser keeps the answer but asks every time; it is the user's own data (private), and
// depends on who is logged in (Vary: Cookie).
const CACHE_CONTROL = "private, no-cache";

export async function withEtag(req: Request, res: Response): Promise<Response> {
  if (!isCompleteJson(req, res)) return res;

  const body = new Uint8Array(await res.arrayBuffer());
  const etag = `W/"${createHash("sha1").update(body).digest("base64url")}"`;
  const vary = addVary(res.headers.get("vary"), "Cookie");
  if (matches(req.headers.get("if-none-match"), etag)) {
    // A 304 carries the caching headers a 200 would have, and no body.
    return new Response(null, { status: 304, headers: { etag, "cache-control": CACHE_CONTROL, vary } });
  }
  const headers = new Headers(res.headers);
  headers.set("etag", etag);
  headers.set("cache-control", CACHE_CONTROL);
  headers.set("vary", vary);
  return new Response(body, { status: res.status, statusText: res.statusText, headers });
}

/** A 200 JSON answer to a GET with its whole body at hand (not a stream, not an error). */
function isCompleteJson(req: Request, res: Response): boolean {
  if (req.method !== "GET" || res.status !== 200 || !res.body || res.bodyUsed) return false;
  const h = res.headers;
  // tRPC's streaming answers (httpBatchStreamLink, SSE) are chunked or event streams.
  if (h.has("transfer-encoding") || h.has("content-encoding")) return false;
  return (h.get("content-type") ?? "").toLowerCase().startsWith("application/json");
}

/** If-None-Match uses the weak comparison: W/ prefixes are ignored; `*` matches any current body. */
export function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  const opaque = (tag: string) => tag.replace(/^W\//, "");
  const wanted = opaque(etag);
  // Each entry is `*`, `"…"` or `W/"…"`; matching them (rather than splitting on commas) copes
  // with odd spacing and with commas inside a tag.
  for (const [tag] of ifNoneMatch.matchAll(/\*|(?:W\/)?"[^"]*"/g)) {
    if (tag === "*" || opaque(tag) === wanted) return true;
  }
  return false;
}

function addVary(current: string | null, field: string): string {
  if (!current) return field;
  const fields = current.split(",").map((f) => f.trim().toLowerCase());
  return fields.includes(field.toLowerCase()) || fields.includes("*") ? current : `${current}, ${field}`;
}
