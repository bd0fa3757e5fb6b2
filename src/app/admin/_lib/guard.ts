import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { getAppSession } from "~/server/auth";
import type { AppSession } from "~/server/session";

/** One session lookup per request, shared by the admin layout and its page. */
export const adminSession = cache(getAppSession);

/**
 * Every admin page calls this first (the layout does not re-render on client navigation, the page
 * does): not signed in → the login page, back here afterwards; signed in but not an admin → 403.
 * The tRPC procedures check again on their own (adminProcedure).
 */
export async function requireAdmin(path: string): Promise<AppSession> {
  const session = await adminSession();
  if (!session) redirect(`/login?callbackUrl=${encodeURIComponent(path)}`);
  if (session.user.role !== "ADMIN") forbidden();
  return session;
}

/** A page's own path with its query string, for the login page to come back to. */
export function pathWithQuery(path: string, params: Record<string, string | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) q.append(k, one);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
