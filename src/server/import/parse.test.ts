import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import { ImportFileError, readImportFile } from "./parse";
import { control, createUser, sandbox, type Sandbox } from "../../../sandbox/test-utils";

const dir = mkdtempSync(path.join(tmpdir(), "xb-parse-"));
let n = 0;
function file(content: string | Buffer, name = `f${n++}`): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}
async function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, text] of Object.entries(files)) zip.addBuffer(Buffer.from(text), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
async function read(p: string, name = path.basename(p)) {
  const { kind, items } = await readImportFile(p, name);
  const out = [];
  for await (const i of items) out.push(i);
  return { kind, items: out };
}
async function failure(p: string, name = path.basename(p)): Promise<string> {
  try {
    await read(p, name);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportFileError);
    return (e as Error).message;
  }
  throw new Error("expected the file to be refused");
}

let sb: Sandbox;
let userId: string;
let truth: string[];
beforeAll(async () => {
  sb = sandbox({ seedAccounts: false });
  userId = await createUser(sb, "parser", 250);
  truth = (await control<{ ids: string[] }>(sb, "GET", `/users/${userId}/bookmarks`)).body.ids;
});
const fetchBytes = async (p: string) => Buffer.from(await (await sb.app.request(`/_sandbox${p}`)).arrayBuffer());

describe("reading import files as streams", () => {
  it("X's archive zip and its data/bookmark.js alone: ids in X's order", async () => {
    const zip = await fetchBytes(`/users/${userId}/archive`);
    const fromZip = await read(file(zip, "archive.zip"));
    expect(fromZip.kind).toBe("archive");
    expect(fromZip.items.map((i) => i.postId)).toEqual(truth);
    expect(fromZip.items.every((i) => i.data === null)).toBe(true);
    const js = `window.YTD.bookmark.part0 = ${JSON.stringify(truth.slice(0, 3).map((tweetId) => ({ bookmark: { tweetId } })))}`;
    expect((await read(file(js, "bookmark.js"))).items.map((i) => i.postId)).toEqual(truth.slice(0, 3));
  });

  it("archives split into parts are read in part order", async () => {
    const part = (i: number, ids: string[]) =>
      `window.YTD.bookmark.part${i} = ${JSON.stringify(ids.map((tweetId) => ({ bookmark: { tweetId } })))}`;
    const zip = await zipOf({
      "data/bookmark-part2.js": part(2, ["3"]),
      "data/bookmark-part1.js": part(1, ["2"]),
      "data/bookmark.js": part(0, ["1"]),
    });
    expect((await read(file(zip, "a.zip"))).items.map((i) => i.postId)).toEqual(["1", "2", "3"]);
  });

  it("twitter-web-exporter JSON and CSV: whole posts", async () => {
    const json = await read(file(await fetchBytes(`/users/${userId}/export?format=json`), "bookmarks.json"));
    expect(json.kind).toBe("exporter");
    expect(json.items.map((i) => i.postId)).toEqual(truth);
    expect(json.items[0]!.data).toMatchObject({ id: truth[0], screen_name: expect.any(String), full_text: expect.any(String) });
    const csv = await read(file(await fetchBytes(`/users/${userId}/export?format=csv`), "bookmarks.csv"));
    expect(csv.items.map((i) => i.postId)).toEqual(truth);
    expect(csv.items.map((i) => i.data!.full_text)).toEqual(json.items.map((i) => i.data!.full_text));
    expect(csv.items.map((i) => i.data!.media)).toEqual(json.items.map((i) => i.data!.media));
  });

  it("refuses bad files with a precise message", async () => {
    const zip = await fetchBytes(`/users/${userId}/archive`);
    expect(await failure(file(zip.subarray(0, zip.length - 40), "cut.zip"))).toMatch(/zip file is damaged or incomplete/);
    expect(await failure(file("hello", "x.zip"))).toBe("x.zip is not a zip file.");
    expect(await failure(file(await zipOf({ "data/tweets.js": "window.YTD.tweets.part0 = []" }), "old.zip"))).toMatch(
      /^No bookmarks file inside the zip \(data\/bookmark\.js\)/,
    );
    expect(await failure(file('window.YTD.bookmark.part0 = [{"bookmark":{"tweetId":"12a"}}]', "bookmark.js"))).toBe(
      'bookmark.js, item 1: "12a" is not a post id.',
    );
    expect(await failure(file('window.YTD.bookmark.part0 = [{"like":{}}]', "bookmark.js"))).toMatch(/item 1: expected \{ "bookmark"/);
    expect(await failure(file('{"not":"a list"}', "b.json"))).toMatch(/not a list|not valid JSON/);
    expect(await failure(file('[{"id":"1"}, ', "b.json"))).toMatch(/Item 1 of the JSON file: created_at/);
    expect(await failure(file("[1, 2]", "b.json"))).toMatch(/Item 1 of the JSON file is not a post/);
    const row = (id: string) => `${id},2025-01-01 00:00:00 +00:00,hi,[],sam,Sam,,1`;
    const header = "id,created_at,full_text,media,screen_name,name,profile_image_url,user_id";
    expect(await failure(file(`${header}\n${row("1")}\n${row("2")}\n"broken,2025\n`, "b.csv"))).toMatch(
      /^Line 4 of the CSV file is not valid CSV/,
    );
    expect(await failure(file(`${header}\n${row("1")}\n${row("x9")}\n`, "b.csv"))).toBe("Line 3 of the CSV file: id is not a post id.");
    expect(await failure(file("a,b\n1,2\n", "b.csv"))).toMatch(/has no "id" column/);
    expect(await failure(file("", "b.csv"))).toBe("The file is empty.");
  });

  it("a 50 MB line is refused without being held in memory", async () => {
    const big = "x".repeat(50 * 1024 * 1024);
    const header = "id,created_at,full_text,media,screen_name,name,profile_image_url,user_id";
    const before = process.memoryUsage().rss;
    expect(await failure(file(`${header}\n1,2025-01-01 00:00:00 +00:00,${big},[],sam,Sam,,1\n`, "huge.csv"))).toMatch(
      /^Line 2 of the CSV file is longer than 1,000,000 characters/,
    );
    expect(await failure(file(`[{"id":"1","full_text":"${big}"}]`, "huge.json"))).toMatch(/item 1 is larger than 1,000,000 characters/);
    // The 50 MB strings themselves live in this test; the parser adds little on top.
    expect(process.memoryUsage().rss - before).toBeLessThan(400 * 1024 * 1024);
  });

  it("an item of empty arrays or deep nesting is refused before it is assembled", async () => {
    // Brackets alone carry no characters of text: the cap counts every token.
    const wide = `[[${"[],".repeat(600_000)}[]]]`;
    expect(await failure(file(wide, "wide.json"))).toMatch(/item 1 is larger than 1,000,000 characters/);
    const deep = `[${"[".repeat(100)}${"]".repeat(100)}]`;
    expect(await failure(file(deep, "deep.json"))).toMatch(/item 1 is nested more than 32 levels deep/);
  });
});
