import { createHash } from "node:crypto";
import { fileTypeFromBuffer } from "file-type";

/** Content types the archive keeps: images and MP4 video, decided by the file's magic bytes. */
const ALLOWED = new Set(["image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "video/mp4"]);

export interface Downloaded {
  bytes: Buffer;
  sha256: string;
  contentType: string;
}

/** Retrying will not help (404, too big, not media): the asset is marked failed for good. */
export class PermanentMediaError extends Error {
  override name = "PermanentMediaError";
}

/**
 * Downloads one file, refusing it past `maxBytes` (by Content-Length up front and while reading,
 * so a lying server cannot fill memory), and checks by magic bytes that it is an image or MP4.
 * Network errors, timeouts and 5xx/429 answers throw plain errors: the job retries them.
 */
export async function downloadMedia(url: string, opts: { maxBytes: number; timeoutMs: number; fetch?: typeof fetch }): Promise<Downloaded> {
  const res = await (opts.fetch ?? fetch)(url, { signal: AbortSignal.timeout(opts.timeoutMs), redirect: "follow" });
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    const msg = `HTTP ${res.status} from ${new URL(url).host}`;
    if (res.status >= 500 || res.status === 429 || res.status === 408) throw new Error(msg);
    throw new PermanentMediaError(msg);
  }
  const declared = Number(res.headers.get("content-length") ?? NaN);
  if (Number.isFinite(declared) && declared > opts.maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new PermanentMediaError(`file too large: ${declared} bytes (limit ${opts.maxBytes})`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const hash = createHash("sha256");
  if (res.body) {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > opts.maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new PermanentMediaError(`file too large: over ${opts.maxBytes} bytes`);
      }
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      hash.update(chunk);
      chunks.push(chunk);
    }
  }
  const bytes = Buffer.concat(chunks, total);
  const type = await fileTypeFromBuffer(bytes);
  if (!type || !ALLOWED.has(type.mime)) {
    throw new PermanentMediaError(
      `not an image or MP4 video (${type?.mime ?? "unknown content"}; server said ${res.headers.get("content-type") ?? "nothing"})`,
    );
  }
  return { bytes, sha256: hash.digest("hex"), contentType: type.mime };
}
