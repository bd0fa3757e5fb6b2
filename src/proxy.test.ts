import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, securityHeaders } from "~/server/http/security-headers";
import { config, proxy } from "./proxy";

const nonceOf = (csp: string | null) => /'nonce-([^']+)'/.exec(csp ?? "")?.[1];

describe("the pages' Content-Security-Policy (src/proxy.ts)", () => {
  it("carries a fresh nonce per request, on the answer and on the request Next renders from", () => {
    const answers = [0, 1, 2].map(() => proxy(new NextRequest("http://127.0.0.1:3000/")));
    const nonces = answers.map((a) => nonceOf(a.headers.get("content-security-policy")));
    expect(new Set(nonces).size).toBe(3);
    for (const n of nonces) expect(n).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    // NextResponse.next({ request: { headers } }) passes overridden request headers this way.
    const forwarded = answers[0]!.headers.get("x-middleware-request-content-security-policy");
    expect(nonceOf(forwarded)).toBe(nonces[0]);
  });

  it("runs for pages, not for API routes or static files", () => {
    const [pattern] = config.matcher;
    const re = new RegExp(`^${pattern}$`);
    for (const page of ["/", "/login", "/admin/jobs"]) expect(re.test(page), page).toBe(true);
    for (const other of ["/api/trpc/x", "/api/export", "/_next/static/chunks/a.js", "/favicon.ico"])
      expect(re.test(other), other).toBe(false);
  });
});

describe("contentSecurityPolicy", () => {
  const csp = (over: Partial<Parameters<typeof contentSecurityPolicy>[0]> = {}) =>
    Object.fromEntries(
      contentSecurityPolicy({ nonce: "abc", dev: false, appUrl: "https://b.example", ...over })
        .split("; ")
        .map((d) => [d.split(" ")[0]!, d.split(" ").slice(1).join(" ")]),
    );

  it("lets only nonced scripts run, never inline ones, and forbids framing", () => {
    const p = csp();
    expect(p["script-src"]).toBe("'self' 'nonce-abc' 'strict-dynamic'");
    expect(p["script-src"]).not.toContain("unsafe-inline");
    expect(p["frame-ancestors"]).toBe("'none'");
    expect(p["object-src"]).toBe("'none'");
    expect(p["connect-src"]).toBe("'self' wss://b.example");
    expect(p["upgrade-insecure-requests"]).toBe("");
  });

  it("limits images and media to the app and X's media hosts (plus the sandbox when given)", () => {
    expect(csp()["img-src"]).toBe("'self' https://pbs.twimg.com https://video.twimg.com https://abs.twimg.com data: blob:");
    expect(csp()["media-src"]).toBe("'self' https://pbs.twimg.com https://video.twimg.com https://abs.twimg.com");
    expect(csp({ extraMediaOrigins: ["http://127.0.0.1:4010"] })["img-src"]).toContain("http://127.0.0.1:4010");
  });

  it("allows eval in development only (React's dev tools and fast refresh need it); plain http has ws: and no upgrade", () => {
    expect(csp({ dev: true })["script-src"]).toContain("'unsafe-eval'");
    const http = csp({ appUrl: "http://127.0.0.1:3000" });
    expect(http["connect-src"]).toBe("'self' ws://127.0.0.1:3000");
    expect(http["upgrade-insecure-requests"]).toBeUndefined();
  });
});

describe("securityHeaders", () => {
  it("sends nosniff, the referrer policy, a permissions policy, and HSTS only over https", () => {
    const http = securityHeaders("http://127.0.0.1:3000");
    expect(http).toMatchObject({
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "X-Frame-Options": "DENY",
    });
    expect(http["Permissions-Policy"]).toContain("camera=()");
    expect(http["Strict-Transport-Security"]).toBeUndefined();
    expect(securityHeaders("https://b.example")["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
  });
});
