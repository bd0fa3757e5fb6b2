import { CLIENT_IP_HEADER } from "./client-ip";
import { RateLimitedError, type RateLimits } from "./rate-limits";

/**
 * Log-in attempts per IP: starting a sign-in (POST /api/auth/signin/<provider>) and arriving back
 * from X (/api/auth/callback/<provider>, where tokens are exchanged and users created) each count
 * one. next-auth's other routes (session, csrf, providers, sign-out) are read all the time by
 * every open page and do not count.
 */
export function isLoginAttempt(req: Request): boolean {
  const { pathname } = new URL(req.url);
  if (/^\/api\/auth\/callback\/[^/]+\/?$/.test(pathname)) return true;
  return req.method === "POST" && /^\/api\/auth\/signin\/[^/]+\/?$/.test(pathname);
}

/** Where the login page says what happened (src/app/login/page.tsx knows the code). */
export const LOGIN_LIMITED_PATH = "/login?error=TooManyAttempts";

/**
 * null when the request may go on to next-auth, else the 429 to answer: JSON with `url` for
 * next-auth's client (its signIn() fetches with json=true and goes to `url`), a sentence otherwise.
 */
export async function limitLogin(req: Request, limits: RateLimits): Promise<Response | null> {
  if (!isLoginAttempt(req)) return null;
  const ip = req.headers.get(CLIENT_IP_HEADER) ?? "unknown";
  try {
    await limits.consume("login", { kind: "ip", id: ip });
    return null;
  } catch (e) {
    if (!(e instanceof RateLimitedError)) throw e;
    const headers = { "Retry-After": String(e.retryAfterSeconds), "Cache-Control": "no-store" };
    const wantsJson = req.method === "POST" || (req.headers.get("accept") ?? "").includes("application/json");
    if (wantsJson) return Response.json({ error: e.message, url: LOGIN_LIMITED_PATH }, { status: 429, headers });
    return new Response(e.message, { status: 429, headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" } });
  }
}
