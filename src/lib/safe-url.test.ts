import { describe, expect, it } from "vitest";
import { segmentPostText } from "./post-text";
import { externalUrl } from "./safe-url";

const SANDBOX = "http://127.0.0.1:4010";

describe("externalUrl", () => {
  it.each([
    ["https://pbs.twimg.com/media/a.jpg", "https://pbs.twimg.com/media/a.jpg"],
    ["https://example.com/a b", "https://example.com/a%20b"],
    [`${SANDBOX}/media/avatars/1.svg`, `${SANDBOX}/media/avatars/1.svg`],
  ])("keeps %j", (value, expected) => {
    expect(externalUrl(value, [SANDBOX])).toBe(expected);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:image/svg+xml,<svg onload=alert(1)>",
    "http://pbs.twimg.com/media/a.jpg",
    "http://127.0.0.1:4011/media/a.svg", // not the sandbox's port
    "//evil.example/a.png",
    "/relative.png",
    "not a url",
    "",
    null,
    undefined,
  ])("drops %j", (value) => {
    expect(externalUrl(value, [SANDBOX])).toBeNull();
  });

  it("takes the sandbox's http origin only when it is given", () => {
    expect(externalUrl(`${SANDBOX}/media/a.svg`)).toBeNull();
  });
});

describe("links in post text", () => {
  const urlEntity = (expanded: string) => ({ start: 0, end: 4, url: "https://t.co/abc", expanded_url: expanded, display_url: "site" });

  it("link https targets; an http site goes through its https t.co link", () => {
    expect(segmentPostText("link", { urls: [urlEntity("https://example.com/")] })).toEqual([
      { kind: "url", text: "site", href: "https://example.com/" },
    ]);
    expect(segmentPostText("link", { urls: [urlEntity("http://example.com/")] })).toEqual([
      { kind: "url", text: "site", href: "https://t.co/abc" },
    ]);
  });

  it("show anything else as plain text, never as a link", () => {
    const entities = { urls: [{ start: 0, end: 4, url: "javascript:alert(1)", expanded_url: "javascript:alert(1)", display_url: "site" }] };
    expect(segmentPostText("link", entities)).toEqual([{ kind: "text", text: "site" }]);
  });
});
