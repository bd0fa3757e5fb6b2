import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { contentSecurityPolicy, newNonce } from "~/server/http/security-headers";
import { extraMediaOrigins } from "~/server/x/config";

/**
 * A Content-Security-Policy with a fresh nonce for every page (Next 16's proxy, formerly
 * middleware). The policy goes on the request too: Next reads the nonce from it and puts it on
 * the scripts it renders. API routes are left out (matcher): they render no HTML, and a proxy in
 * front of them would make Next buffer request bodies before the routes' own size cap.
 */
export function proxy(request: NextRequest) {
  const csp = contentSecurityPolicy({
    nonce: newNonce(),
    dev: env.NODE_ENV === "development",
    appUrl: process.env.NEXTAUTH_URL ?? request.nextUrl.origin,
    extraMediaOrigins,
  });
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
