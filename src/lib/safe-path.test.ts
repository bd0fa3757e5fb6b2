import { describe, expect, it } from "vitest";
import { safeLocalPath } from "./safe-path";

describe("safeLocalPath", () => {
  it("keeps paths on this site", () => {
    expect(safeLocalPath("/")).toBe("/");
    expect(safeLocalPath("/library?tag=%E6%A9%9F")).toBe("/library?tag=%E6%A9%9F");
  });
  it("refuses anything that leaves it", () => {
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example/", "evil.example", "javascript:alert(1)", "/ok\r\nSet-Cookie: x"]) {
      expect(safeLocalPath(bad)).toBe("/");
    }
    expect(safeLocalPath(undefined, "/home")).toBe("/home");
  });
});
