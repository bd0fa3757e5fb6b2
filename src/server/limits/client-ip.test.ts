import { describe, expect, it } from "vitest";
import { clientIpOf } from "./client-ip";

const req = (remoteAddress: string, xff?: string | string[]) =>
  ({ socket: { remoteAddress }, headers: xff === undefined ? {} : { "x-forwarded-for": xff } }) as unknown as Parameters<
    typeof clientIpOf
  >[0];

describe("clientIpOf", () => {
  it("uses the socket's address unless proxies are trusted, whatever X-Forwarded-For claims", () => {
    expect(clientIpOf(req("10.0.0.9", "1.2.3.4"), 0)).toBe("10.0.0.9");
  });

  it("takes the entry the outermost trusted proxy appended, not the client-written ones left of it", () => {
    expect(clientIpOf(req("10.0.0.1", "6.6.6.6, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIpOf(req("10.0.0.1", "6.6.6.6, 203.0.113.7, 10.0.0.2"), 2)).toBe("203.0.113.7");
    expect(clientIpOf(req("10.0.0.1", ["6.6.6.6", "203.0.113.7"]), 1)).toBe("203.0.113.7");
  });

  it("falls back to the first entry, then the socket, when the header is short or missing", () => {
    expect(clientIpOf(req("10.0.0.1", "203.0.113.7"), 3)).toBe("203.0.113.7");
    expect(clientIpOf(req("10.0.0.1"), 1)).toBe("10.0.0.1");
  });
});
