import { env } from "~/env";

/**
 * The one rule for "does this request come from the app's own pages?", used by the WebSocket
 * upgrade (ws.ts) and every state-changing HTTP route (tRPC mutations, export, next-auth POSTs,
 * later the import upload). A browser always sends `Origin` on a WebSocket upgrade and on a POST
 * (including cross-site form posts), and `Sec-Fetch-Site` on every request; a hostile page cannot
 * forge either. So a cross-site page that rides on the user's cookie is told apart here.
 */

/** The app's own origin (NEXTAUTH_URL's; main.ts sets it when unset) and ALLOWED_ORIGINS. */
export function allowedOrigins(appUrl = process.env.NEXTAUTH_URL, extra: readonly string[] = env.ALLOWED_ORIGINS): ReadonlySet<string> {
  const set = new Set(extra);
  if (appUrl) set.add(new URL(appUrl).origin);
  return set;
}

/** Reads one header, whatever holds them (a fetch `Headers`, or Node's `IncomingHttpHeaders`). */
export type HeaderSource = Headers | Record<string, string | string[] | undefined>;

function header(h: HeaderSource, name: string): string | undefined {
  if (h instanceof Headers) return h.get(name) ?? undefined;
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
}

export type OriginVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Accepts a request whose `Origin` is one of `allowed`; without `Origin` (some browsers omit it
 * on same-origin requests), one whose `Sec-Fetch-Site` is `same-origin` or `none` (typed into
 * the address bar or opened from a bookmark: the person did it). `requireOrigin` (WebSocket
 * upgrades, where every browser sends Origin) accepts nothing without it.
 */
export function checkOrigin(headers: HeaderSource, allowed: ReadonlySet<string>, opts: { requireOrigin?: boolean } = {}): OriginVerdict {
  const origin = header(headers, "origin");
  if (origin !== undefined) {
    return allowed.has(origin) ? { ok: true } : { ok: false, reason: `Requests from ${origin.slice(0, 100)} are not allowed.` };
  }
  if (opts.requireOrigin) return { ok: false, reason: "The request has no Origin header." };
  const site = header(headers, "sec-fetch-site");
  if (site === "same-origin" || site === "none") return { ok: true };
  return {
    ok: false,
    reason: site
      ? `Cross-site requests (${site.slice(0, 20)}) are not allowed.`
      : "The request has neither an Origin nor a Sec-Fetch-Site header.",
  };
}

/**
 * For route handlers: a 403 answer when the request does not come from the app's own pages,
 * else null. The sentence tells a developer with a script what to send.
 */
export function refuseForeignOrigin(req: Request, allowed: ReadonlySet<string> = allowedOrigins()): Response | null {
  const verdict = checkOrigin(req.headers, allowed);
  if (verdict.ok) return null;
  return Response.json(
    {
      error: {
        code: "FORBIDDEN",
        message: `${verdict.reason} Only the app's own pages may change data (send Origin: ${[...allowed][0] ?? "the app's URL"}).`,
      },
    },
    { status: 403 },
  );
}
