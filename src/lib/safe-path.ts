/**
 * Redirect targets that stay on this site. Decided on the URL as a browser reads it: the WHATWG
 * parser (`new URL`) drops tabs and newlines and reads "\" as "/", exactly as the browser will
 * when it follows the redirect, so "/%09/evil.example" (a tab once decoded), "/\evil.example" and
 * "//evil.example" all resolve to another host and are refused.
 */

/** `value` resolved against `appUrl` (normalised), if it stays on that origin; else null. */
export function sameOriginUrl(value: string | null | undefined, appUrl: string): string | null {
  if (!value) return null;
  try {
    const base = new URL(appUrl);
    const target = new URL(value, base);
    return target.origin === base.origin ? target.href : null;
  } catch {
    return null;
  }
}

// Any origin does for resolving a path: only whether the result stays on it matters.
const PLACEHOLDER_ORIGIN = "http://this-site.invalid";

/** A path on this site ("/library?tag=x"), normalised; `fallback` for anything else. */
export function safeLocalPath(candidate: string | null | undefined, fallback = "/"): string {
  // Only paths: absolute URLs (even to this site) are not what the login page is given.
  if (!candidate?.startsWith("/")) return fallback;
  const url = sameOriginUrl(candidate, PLACEHOLDER_ORIGIN);
  return url ? url.slice(PLACEHOLDER_ORIGIN.length) : fallback;
}
