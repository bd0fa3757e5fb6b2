import { describe, expect, it } from "vitest";
import { safeLocalPath, sameOriginUrl } from "./safe-path";

const APP = "https://bookmarks.example.com";

// Each hostile value as it arrives after the query string is decoded (%09 is a tab, %0A a newline).
const leaves = [
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/\\/evil.example",
  "https://evil.example/",
  "https://bookmarks.example.com.evil.example/",
  "https://bookmarks.example.com@evil.example/",
  "http://bookmarks.example.com/", // another scheme is another origin
  "https://bookmarks.example.com:444/",
  "javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "//%65vil.example",
];

describe("sameOriginUrl (next-auth's redirect callback)", () => {
  it.each(leaves)("refuses %j", (value) => {
    expect(sameOriginUrl(value, APP)).toBeNull();
  });

  it.each([
    ["/", `${APP}/`],
    ["/library?tag=%E6%A9%9F", `${APP}/library?tag=%E6%A9%9F`],
    [`${APP}/admin`, `${APP}/admin`],
    ["admin", `${APP}/admin`],
    ["/a\tb", `${APP}/ab`], // the tab is dropped, as the browser would
    ["https:evil.example", `${APP}/evil.example`], // same scheme, no "//": a relative path
  ])("keeps %j on the site as %j", (value, expected) => {
    expect(sameOriginUrl(value, APP)).toBe(expected);
  });

  it("gives null for nothing and for unparsable values", () => {
    expect(sameOriginUrl(undefined, APP)).toBeNull();
    expect(sameOriginUrl("", APP)).toBeNull();
    expect(sameOriginUrl("http://[::1", APP)).toBeNull();
  });
});

describe("safeLocalPath (the login page's callbackUrl)", () => {
  it("keeps paths on this site", () => {
    expect(safeLocalPath("/")).toBe("/");
    expect(safeLocalPath("/library?tag=%E6%A9%9F")).toBe("/library?tag=%E6%A9%9F");
    expect(safeLocalPath("/admin/jobs?queue=sync#top")).toBe("/admin/jobs?queue=sync#top");
  });

  it.each([...leaves, "evil.example", "/ok\r\nSet-Cookie: x"])("refuses %j", (bad) => {
    // A path whose newline is dropped stays on the site; one that leaves it falls back.
    const result = safeLocalPath(bad);
    expect(result.startsWith("/") && !result.startsWith("//") && !/[\t\r\n\\]/.test(result)).toBe(true);
    if (!bad.startsWith("/ok")) expect(result).toBe("/");
  });

  it("uses the fallback given", () => {
    expect(safeLocalPath(undefined, "/home")).toBe("/home");
  });
});
