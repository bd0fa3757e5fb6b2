import { describe, expect, it } from "vitest";
import { segmentPostText, unescapeXText } from "./post-text";

describe("segmentPostText", () => {
  it("links mentions, hashtags and urls by code point in Japanese text with emoji", () => {
    const text = "😀 @hana_dev さんの #機械学習 まとめ https://t.co/abc 最高";
    // Code-point span of a substring, as X computes entity indices.
    const span = (s: string) => {
      const start = Array.from(text.slice(0, text.indexOf(s))).length;
      return { start, end: start + Array.from(s).length };
    };
    expect(span("@hana_dev")).toEqual({ start: 2, end: 11 }); // the emoji is one code point, two UTF-16 units
    const segs = segmentPostText(text, {
      mentions: [{ ...span("@hana_dev"), username: "hana_dev" }],
      hashtags: [{ ...span("#機械学習"), tag: "機械学習" }],
      urls: [
        { ...span("https://t.co/abc"), url: "https://t.co/abc", expanded_url: "https://example.com/ml", display_url: "example.com/ml" },
      ],
    });
    expect(segs).toEqual([
      { kind: "text", text: "😀 " },
      { kind: "mention", text: "@hana_dev", href: "https://x.com/hana_dev" },
      { kind: "text", text: " さんの " },
      { kind: "hashtag", text: "#機械学習", href: "https://x.com/hashtag/%E6%A9%9F%E6%A2%B0%E5%AD%A6%E7%BF%92" },
      { kind: "text", text: " まとめ " },
      { kind: "url", text: "example.com/ml", href: "https://example.com/ml" },
      { kind: "text", text: " 最高" },
    ]);
  });

  it("drops links that only point at attached media", () => {
    const segs = segmentPostText("Look https://t.co/pic", {
      urls: [{ start: 5, end: 21, url: "https://t.co/pic", media_key: "3_1" }],
    });
    expect(segs).toEqual([{ kind: "text", text: "Look" }]);
  });

  it("ignores out-of-range and overlapping entities instead of garbling the text", () => {
    const segs = segmentPostText("hi @a", {
      mentions: [
        { start: 3, end: 5, username: "a" },
        { start: 4, end: 9, username: "b" },
      ],
      hashtags: [{ start: 10, end: 20, tag: "x" }],
    });
    expect(segs.map((s) => s.text).join("")).toBe("hi @a");
    expect(segs.filter((s) => s.kind === "mention")).toHaveLength(1);
  });

  it("unescapes X's HTML entities", () => {
    expect(unescapeXText("a &amp; b &lt;3 &gt;")).toBe("a & b <3 >");
    expect(segmentPostText("Tom &amp; Jerry", null)).toEqual([{ kind: "text", text: "Tom & Jerry" }]);
  });
});
