import { env } from "~/env";
import { refuseForeignOrigin } from "./origin";

/**
 * What a state-changing JSON POST (a tRPC mutation batch) must be before anything parses it:
 * from the app's own pages (origin.ts), `application/json` (a cross-site HTML form can only send
 * `text/plain`, `multipart/form-data` or `application/x-www-form-urlencoded` without a CORS
 * preflight), and at most MAX_BODY_BYTES long, counted while reading so a 30 MB body is cut off
 * at the cap instead of being buffered first.
 */

// Refusals ask for the connection to be closed: the unread rest of the body is not wanted. The
// body stream is left unread, never cancelled: cancelling destroys the socket under Node, and the
// client would see a reset instead of this answer.
function refusal(status: 413 | 415, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { connection: "close" } });
}

const mb = (bytes: number) => `${Math.round((bytes / 1_048_576) * 10) / 10} MB`;

export function tooLarge(maxBytes: number): Response {
  return refusal(413, "PAYLOAD_TOO_LARGE", `The request body is larger than ${mb(maxBytes)} (MAX_BODY_BYTES); nothing was done.`);
}

/**
 * The body as bytes, or a 413 answer once it passes `maxBytes` (the rest is never read). A
 * declared Content-Length over the cap is refused without reading anything.
 */
export async function readBodyCapped(req: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | Response> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) return tooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      reader.releaseLock();
      return tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

/** `application/json`, with or without parameters such as `; charset=utf-8`. */
export function isJsonContentType(value: string | null): boolean {
  return value?.split(";")[0]?.trim().toLowerCase() === "application/json";
}

/**
 * Checks a state-changing JSON POST; returns the answer that refuses it, or the same request
 * with its body already read (at most `maxBytes`) for the handler to parse.
 */
export async function acceptJsonPost(req: Request, maxBytes: number = env.MAX_BODY_BYTES): Promise<Request | Response> {
  const foreign = refuseForeignOrigin(req);
  if (foreign) return foreign;
  if (!isJsonContentType(req.headers.get("content-type"))) {
    return refusal(415, "UNSUPPORTED_MEDIA_TYPE", "Send the request as JSON (Content-Type: application/json).");
  }
  const body = await readBodyCapped(req, maxBytes);
  if (body instanceof Response) return body;
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal });
}
