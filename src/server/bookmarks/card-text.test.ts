import { describe, expect, it } from "vitest";
import type { MediaItem } from "~/server/x/map";
import { cardText } from "./card-text";

const photo = (altText: string | null): MediaItem => ({
  key: "3_1",
  type: "photo",
  url: null,
  previewUrl: null,
  width: 1,
  height: 1,
  altText,
  durationMs: null,
  videoUrl: null,
});

describe("cardText", () => {
  it("is what the card shows beyond the text: URL words, link title and description, alt text, the quoted post", () => {
    const text = cardText(
      {
        entities: {
          urls: [
            {
              start: 0,
              end: 1,
              url: "https://t.co/a",
              expanded_url: "https://github.com/alice/fast-csv",
              title: "GitHub - alice/fast-csv",
              description: "A small library.",
            },
            { start: 2, end: 3, url: "https://t.co/m", expanded_url: "https://x.com/a/status/1/photo/1", media_key: "3_1" },
          ],
        },
        media: [photo("夕焼けの街並み"), photo(null)],
      },
      { text: "Quoted &amp; loved", media: [photo("A stack of books")] },
    );
    expect(text.split("\n")).toEqual([
      "github.com alice fast csv",
      "GitHub - alice/fast-csv",
      "A small library.",
      "夕焼けの街並み",
      "Quoted & loved",
      "A stack of books",
    ]);
  });

  it("is empty for a plain post, and capped for a hostile one", () => {
    expect(cardText({ entities: null, media: null })).toBe("");
    const huge = "長".repeat(10_000);
    expect(Array.from(cardText({ entities: null, media: null }, { text: huge, media: null })).length).toBe(4000);
  });
});
