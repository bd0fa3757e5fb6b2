import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { linkCards, linkUrls, urlWords } from "./link-cards";
import { safeHttpsUrl } from "./safe-url";

const url = (over: Record<string, unknown> = {}) => ({
  start: 0,
  end: 23,
  url: "https://t.co/abc",
  expanded_url: "https://blog.example.com/2024/fast-csv",
  title: "Fast CSV parsing",
  description: "How we parse a gigabyte a second.",
  ...over,
});

describe("linkCards", () => {
  it("makes a card of each link X could read, going to the unwound URL", () => {
    const cards = linkCards({
      urls: [
        url({
          unwound_url: "https://www.example.org/final?id=1",
          images: [
            { url: "https://pbs.twimg.com/s.jpg", width: 150, height: 150 },
            { url: "https://pbs.twimg.com/l.jpg", width: 1200, height: 630 },
          ],
        }),
      ],
    });
    expect(cards).toEqual([
      {
        href: "https://www.example.org/final?id=1",
        domain: "example.org",
        title: "Fast CSV parsing",
        description: "How we parse a gigabyte a second.",
        image: { url: "https://pbs.twimg.com/l.jpg", width: 1200, height: 630 }, // the largest
      },
    ]);
  });

  it("leaves out media links, links without metadata, duplicates and anything not https", () => {
    const cards = linkCards({
      urls: [
        url({ media_key: "3_1" }),
        url({ title: null, description: null, images: null, expanded_url: "https://x.com/a/status/1" }),
        url({ expanded_url: "javascript:alert(1)" }),
        url({ expanded_url: "http://plain.example.com/" }),
        url({ expanded_url: "data:text/html,hi" }),
        url(),
        url(), // the same link twice in one post
      ],
    });
    expect(cards.map((c) => c.href)).toEqual(["https://blog.example.com/2024/fast-csv"]);
  });

  it("drops an image that is not https but keeps the card", () => {
    const [card] = linkCards({ urls: [url({ images: [{ url: "http://evil.example/x.png", width: 10, height: 10 }] })] });
    expect(card!.image).toBeNull();
  });

  it("never throws on whatever X sends", () => {
    const anyUrl = fc.record({
      start: fc.nat(),
      end: fc.nat(),
      url: fc.string(),
      expanded_url: fc.option(fc.oneof(fc.string(), fc.webUrl()), { nil: undefined }),
      unwound_url: fc.option(fc.oneof(fc.string(), fc.webUrl()), { nil: null }),
      title: fc.option(fc.string(), { nil: null }),
      images: fc.option(fc.array(fc.record({ url: fc.option(fc.string(), { nil: null }) })), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(anyUrl), (urls) => {
        for (const c of linkCards({ urls })) expect(c.href.startsWith("https://")).toBe(true);
      }),
    );
  });
});

describe("urlWords", () => {
  it.each([
    ["https://github.com/alice/fast-csv", "github.com alice fast csv"],
    ["https://www.example.com/2024/05/retry_kit.html?ref=x", "example.com 2024 05 retry kit html ref x"],
    ["https://zenn.dev/articles/%E6%A4%9C%E7%B4%A2", "zenn.dev articles 検索"],
    ["https://example.com/%E0%A4%A", "example.com E0 A4 A"], // a broken escape: kept as text
    ["not a url", ""],
  ])("%s", (input, want) => {
    expect(urlWords(input)).toBe(want);
  });

  it("lists each linked URL once, media links left out", () => {
    expect(
      linkUrls({ urls: [url({ unwound_url: "https://a.example/x" }), url({ media_key: "3_1", expanded_url: "https://x.com/p/photo/1" })] }),
    ).toEqual(["https://a.example/x", "https://blog.example.com/2024/fast-csv"]);
  });
});

describe("safeHttpsUrl", () => {
  it.each([
    ["https://example.com/a", "https://example.com/a"],
    ["HTTPS://Example.com", "https://example.com/"],
    ["http://example.com", null],
    ["javascript:alert(1)", null],
    [" javascript:alert(1)", null],
    ["//example.com", null],
    ["", null],
    [null, null],
  ])("%s → %s", (input, want) => {
    expect(safeHttpsUrl(input)).toBe(want);
  });
});
