/**
 * Whether a state-changing request comes from our own pages: a browser sends `Origin` on every
 * cross-origin POST (and `Sec-Fetch-Site` where it supports it), so a form or script on another
 * site cannot spend the person's session here. Requests without either (scripts, tests with the
 * session cookie) come from no other site's page and are allowed.
 */
export function isSameOrigin(req: Request, appUrl?: string): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.get("origin");
  if (!origin) return true;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return false;
  }
  const allowed = new Set<string>();
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host.toLowerCase());
  if (appUrl) allowed.add(new URL(appUrl).host.toLowerCase());
  return allowed.has(o.host.toLowerCase());
}
