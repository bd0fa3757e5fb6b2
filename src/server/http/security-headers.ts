/**
 * The browser-side defences the app's answers carry (issue 12, point 5). Two parts:
 *
 * - `securityHeaders`: the same on every answer (pages, API, static files), set by main.ts
 *   before Next handles the request.
 * - `contentSecurityPolicy`: for pages, with a fresh nonce per request, set by src/proxy.ts;
 *   Next reads the nonce from the request's policy header and puts it on its own scripts, so no
 *   script runs without it (no 'unsafe-inline' for scripts).
 */

/** Where X serves images, videos and avatars. */
export const X_MEDIA_ORIGINS = ["https://pbs.twimg.com", "https://video.twimg.com", "https://abs.twimg.com"] as const;

export interface CspOptions {
  nonce: string;
  /** Next's development runtime evaluates code (React's dev tools, fast refresh). */
  dev: boolean;
  /** The app's public URL (NEXTAUTH_URL): its WebSocket origin and whether to upgrade http. */
  appUrl: string;
  /** Image and media origins besides the app's and X's (the sandbox's, when it stands in for X). */
  extraMediaOrigins?: readonly string[];
}

export function contentSecurityPolicy(o: CspOptions): string {
  const app = new URL(o.appUrl);
  const media = ["'self'", ...X_MEDIA_ORIGINS, ...(o.extraMediaOrigins ?? [])].join(" ");
  const socket = `${app.protocol === "https:" ? "wss:" : "ws:"}//${app.host}`;
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts Next's nonced scripts load are trusted too; nothing else runs.
    `script-src 'self' 'nonce-${o.nonce}' 'strict-dynamic'${o.dev ? " 'unsafe-eval'" : ""}`,
    // Inline styles stay allowed (React style attributes, the virtual list's positions): styles
    // cannot run code.
    "style-src 'self' 'unsafe-inline'",
    `img-src ${media} data: blob:`,
    `media-src ${media}`,
    "font-src 'self' data:",
    `connect-src 'self' ${socket}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(app.protocol === "https:" ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** A nonce for one page answer: 128 random bits. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** Headers for every answer. HSTS only when the app is served over https (NEXTAUTH_URL). */
export function securityHeaders(appUrl: string): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // The app uses none of these; nothing it embeds may either.
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    // For browsers without CSP frame-ancestors.
    "X-Frame-Options": "DENY",
    ...(new URL(appUrl).protocol === "https:" && { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" }),
  };
}
