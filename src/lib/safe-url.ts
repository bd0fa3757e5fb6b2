/**
 * URLs that came from X (links in posts, avatars, media) are put into pages only when they are
 * `https:`, or on one of `extraOrigins` (the X sandbox's, which serves plain http on this
 * machine). Anything else (`javascript:`, `data:`, plain http, garbage) is dropped: a post cannot
 * smuggle a script link or a tracking pixel over http into the library.
 */
export function externalUrl(value: string | null | undefined, extraOrigins: readonly string[] = []): string | null {
  if (!value) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol === "https:" || extraOrigins.includes(url.origin)) return url.href;
  return null;
}

/** `externalUrl` without extra origins: for text from X rendered as a link or image (link cards). */
export function safeHttpsUrl(raw: string | null | undefined): string | null {
  return externalUrl(raw);
}
