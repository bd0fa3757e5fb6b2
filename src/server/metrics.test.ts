import { describe, expect, it } from "vitest";
import { routeClass } from "./metrics";

describe("routeClass", () => {
  it("maps any URL to one of a few coarse classes", () => {
    expect(routeClass("/api/trpc/bookmarks.list,tags.list?batch=1&input=%7B%7D")).toBe("/api/trpc");
    expect(routeClass("/api/trpc")).toBe("/api/trpc");
    expect(routeClass("/api/trpc-ws")).toBe("/api/other");
    expect(routeClass("/api/trpcx/a")).toBe("/api/other");
    expect(routeClass("/api/export?format=csv")).toBe("/api/export");
    expect(routeClass("/api/auth/callback/twitter?code=abc&state=s")).toBe("/api/auth");
    expect(routeClass("/api/health")).toBe("/api/health");
    expect(routeClass("/api/ready?x=1")).toBe("/api/ready");
    expect(routeClass("/api/health/deep")).toBe("/api/other");
    expect(routeClass("/_next/static/chunks/main.js")).toBe("/_next");
    expect(routeClass("/metrics")).toBe("/metrics");
    expect(routeClass("/metrics/x")).toBe("page");
    expect(routeClass("/")).toBe("page");
    expect(routeClass("/library?q=secret")).toBe("page");
    expect(routeClass("/favicon.ico")).toBe("page");
    expect(routeClass("http://example.com/api/trpc/x")).toBe("/api/trpc");
    expect(routeClass("*")).toBe("page");
    expect(routeClass(undefined)).toBe("page");
  });
});
