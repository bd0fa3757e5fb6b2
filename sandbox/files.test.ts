import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { fromBuffer, type Entry } from "yauzl";
import { control, createUser, sandbox } from "./test-utils";

function unzip(buf: Buffer): Promise<Map<string, string>> {
  return new Promise((resolve, reject) => {
    fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      const files = new Map<string, string>();
      zip.on("entry", (e: Entry) => {
        zip.openReadStream(e, (err2, s) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          s.on("data", (c: Buffer) => chunks.push(c));
          s.on("end", () => {
            files.set(e.fileName, Buffer.concat(chunks).toString("utf8"));
            zip.readEntry();
          });
        });
      });
      zip.on("end", () => resolve(files));
      zip.readEntry();
    });
  });
}

describe("an account's files: X's archive and twitter-web-exporter's export", () => {
  it("accepts any bookmark count; the API still serves only the newest 800", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "big", 3000);
    const user = await control<{ id: string; username: string; bookmarks: number; apiCalls: Record<string, number> }>(
      sb,
      "GET",
      `/users/${id}`,
    );
    expect(user.body).toMatchObject({ id, username: "big", bookmarks: 3000, apiCalls: { bookmarks: 0, me: 0, tweets: 0 } });
    expect((await control(sb, "GET", "/users/999")).status).toBe(404);
  });

  it("archive: a zip with data/bookmark.js of every bookmark, newest first, in X's window.YTD format", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "big", 1200);
    const truth = (await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids;
    const res = await sb.app.request(`/_sandbox/users/${id}/archive`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    expect([...files.keys()].sort()).toEqual(["Your archive.html", "data/account.js", "data/bookmark.js", "data/manifest.js"]);
    const js = files.get("data/bookmark.js")!;
    expect(js.startsWith("window.YTD.bookmark.part0 = [")).toBe(true);
    expect(js).toContain('"tweetId" : "');
    const parsed = JSON.parse(js.slice(js.indexOf("="))!.slice(1)) as { bookmark: { tweetId: string } }[];
    expect(parsed.map((b) => b.bookmark.tweetId)).toEqual(truth);
  });

  it("export: JSON and CSV (BOM, literal \\n, nested values as JSON) with twitter-web-exporter's keys", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "exp", 60);
    const truth = (await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids;
    await control(sb, "DELETE", `/posts/${truth[3]}`);
    const json = await sb.app.request(`/_sandbox/users/${id}/export?format=json`);
    const rows = (await json.json()) as Record<string, unknown>[];
    expect(rows.map((r) => r.id)).toEqual(truth.filter((_, i) => i !== 3));
    expect(Object.keys(rows[0]!)).toEqual(
      expect.arrayContaining([
        "id",
        "created_at",
        "full_text",
        "media",
        "screen_name",
        "name",
        "user_id",
        "bookmarked",
        "url",
        "views_count",
      ]),
    );
    expect(rows[0]!.created_at).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+00:00$/);
    const bytes = Buffer.from(await (await sb.app.request(`/_sandbox/users/${id}/export?format=csv`)).arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString("utf8");
    const records = parse(csv.slice(1), { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.id)).toEqual(rows.map((r) => r.id));
    expect(csv.slice(1).split("\n").length).toBe(rows.length + 2); // header, rows, final newline: no raw newlines in fields
    const withMedia = records.find((r) => r.media !== "[]")!;
    expect(JSON.parse(withMedia.media!)).toEqual(rows.find((r) => r.id === withMedia.id)!.media);
    expect((await sb.app.request(`/_sandbox/users/${id}/export?format=xml`)).status).toBe(400);
  });
});
