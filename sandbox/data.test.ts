import { describe, expect, it } from "vitest";
import { SEEDED_ACCOUNTS } from "./data";
import { compareIds } from "./ids";
import { bookmarksPage, control, createUser, mint, sandbox } from "./test-utils";
import { codePointLength, sliceCodePoints, weightedLength } from "./text";
import type { PostEntities } from "./types";

function listIds(sb: ReturnType<typeof sandbox>, userId: string): string[] {
  return sb.store.bookmarkList(userId).newestFirst();
}

describe("seeded data", () => {
  it("has the default accounts with fixed ids and their bookmark counts", () => {
    const sb = sandbox();
    expect(SEEDED_ACCOUNTS.map((a) => [a.username, a.id, a.bookmarks])).toEqual([
      ["demo", "1354820317520019456", 800],
      ["hana_dev", "1418034523608670208", 120],
      ["sam_reads", "1580329971446398976", 40],
      ["empty_user", "1690211427335397376", 0],
    ]);
    for (const a of SEEDED_ACCOUNTS) {
      expect(sb.store.userByUsername(a.username)!.id).toBe(a.id);
      expect(listIds(sb, a.id)).toHaveLength(a.bookmarks);
    }
    expect(sb.store.userByUsername("demo")!.name).toBe("Demo User");
    expect(sb.store.userByUsername("hana_dev")!.name).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });

  it("is deterministic for a seed and differs between seeds", () => {
    const a = sandbox({ seed: 1 });
    const b = sandbox({ seed: 1 });
    const c = sandbox({ seed: 2 });
    const demo = SEEDED_ACCOUNTS[0]!.id;
    expect(listIds(a, demo)).toEqual(listIds(b, demo));
    expect(listIds(a, demo)).not.toEqual(listIds(c, demo));
    const post = a.store.posts.get(listIds(a, demo)[0]!)!;
    expect(b.store.posts.get(post.id)).toEqual(post);
  });

  it("shares posts between accounts and uses ~60 repeated authors", () => {
    const sb = sandbox();
    const [demo, hana, sam] = SEEDED_ACCOUNTS.map((a) => new Set(listIds(sb, a.id)));
    expect([...hana!].filter((id) => demo!.has(id)).length).toBeGreaterThan(20);
    expect([...sam!].filter((id) => demo!.has(id)).length).toBeGreaterThan(5);
    const authors = new Set([...demo!].map((id) => sb.store.posts.get(id)!.authorId));
    expect(authors.size).toBeGreaterThanOrEqual(50);
    expect(authors.size).toBeLessThanOrEqual(60);
  });

  it("mixes Japanese and English posts, with the words search tests look for inside longer text", () => {
    const sb = sandbox();
    const posts = listIds(sb, SEEDED_ACCOUNTS[0]!.id).map((id) => sb.store.posts.get(id)!);
    const ja = posts.filter((p) => p.lang === "ja").length / posts.length;
    expect(ja).toBeGreaterThan(0.4);
    expect(ja).toBeLessThan(0.6);
    for (const word of ["機械学習", "東京", "ラーメン", "プログラミング", "技術書"]) {
      const hits = posts.filter((p) => p.text.includes(word) && codePointLength(p.text) > word.length + 15);
      expect(hits.length, word).toBeGreaterThan(3);
    }
    expect(posts.some((p) => p.text.includes("機械学習") && !p.text.startsWith("機械学習") && !/#機械学習/.test(p.text))).toBe(true);
    expect(posts.some((p) => p.entities.hashtags?.some((h) => h.tag === "機械学習"))).toBe(true);
    expect(posts.some((p) => p.note !== undefined)).toBe(true);
    // Within X's limit: 280, weighted (CJK and emoji count 2), except the full text of long posts.
    for (const p of sb.store.posts.values()) expect(weightedLength(p.text), p.text).toBeLessThanOrEqual(281);
    for (const p of sb.store.posts.values()) if (p.note) expect(weightedLength(p.note.text)).toBeGreaterThan(280);
  });

  it("gives ids that increase with created_at, spread over about two years", () => {
    const sb = sandbox();
    const posts = [...sb.store.posts.values()];
    const byId = [...posts].sort((x, y) => compareIds(x.id, y.id));
    for (let i = 1; i < byId.length; i++) expect(byId[i]!.createdMs).toBeGreaterThanOrEqual(byId[i - 1]!.createdMs);
    const span = byId.at(-1)!.createdMs - byId[0]!.createdMs;
    expect(span / (365 * 86_400_000)).toBeGreaterThan(1.8);
    for (const p of posts) expect(p.id).toMatch(/^[1-9][0-9]{17,18}$/);
  });

  it("computes entity indices in code points, correct for Japanese text and emoji", () => {
    const sb = sandbox();
    let checked = 0;
    let astral = 0;
    const check = (text: string, e: PostEntities) => {
      if (Array.from(text).length !== text.length) astral++;
      for (const m of e.mentions ?? []) {
        expect(sliceCodePoints(text, m.start, m.end)).toBe(`@${m.username}`);
        expect(sb.store.users.get(m.id)!.username).toBe(m.username);
        checked++;
      }
      for (const h of e.hashtags ?? []) {
        expect(sliceCodePoints(text, h.start, h.end)).toBe(`#${h.tag}`);
        checked++;
      }
      for (const u of e.urls ?? []) {
        expect(sliceCodePoints(text, u.start, u.end)).toBe(u.url);
        expect(u.url).toMatch(/^https:\/\/t\.co\/[A-Za-z0-9]{10}$/);
        checked++;
      }
    };
    for (const p of sb.store.posts.values()) {
      check(p.text, p.entities);
      if (p.note) check(p.note.text, p.note.entities);
      const [s, e] = p.displayTextRange;
      expect(0 <= s && s <= e && e <= codePointLength(p.text)).toBe(true);
    }
    expect(checked).toBeGreaterThan(1000);
    // Emoji outside the BMP are present, so UTF-16 indices would be wrong.
    expect(astral).toBeGreaterThan(50);
    const jaHashtag = [...sb.store.posts.values()].find(
      (p) => p.lang === "ja" && p.entities.hashtags?.length && /[🍜📚🚃😂🙏👨🗼🌸🎉]/u.test(p.text),
    );
    expect(jaHashtag).toBeDefined();
  });

  it("attaches media to about 40% of posts, with X's media keys and fields", () => {
    const sb = sandbox();
    const posts = [...sb.store.posts.values()];
    const withMedia = posts.filter((p) => p.mediaKeys);
    expect(withMedia.length / posts.length).toBeGreaterThan(0.3);
    expect(withMedia.length / posts.length).toBeLessThan(0.5);
    for (const p of withMedia) {
      const media = p.mediaKeys!.map((k) => sb.store.media.get(k)!);
      expect(media.length === 1 || media.every((m) => m.type === "photo")).toBe(true);
      expect(media.length).toBeLessThanOrEqual(4);
      const link = p.entities.urls!.at(-1)!;
      expect(link.media_key).toBe(p.mediaKeys![0]);
      expect(link.display_url).toMatch(/^pic\.x\.com\//);
      for (const m of media) {
        expect(m.key).toMatch(m.type === "photo" ? /^3_\d+$/ : m.type === "video" ? /^7_\d+$/ : /^16_\d+$/);
        if (m.type === "video") expect(m.durationMs).toBeGreaterThan(0);
      }
    }
    expect(new Set(posts.flatMap((p) => (p.mediaKeys ?? []).map((k) => sb.store.media.get(k)!.type)))).toEqual(
      new Set(["photo", "video", "animated_gif"]),
    );
  });
});

describe("scale", () => {
  it("creates 10,000 bookmarks and pages through all of them, 100 at a time", async () => {
    const sb = sandbox({ bookmarkCap: 0, seedAccounts: false });
    // Speed is measured by the benchmarks, not asserted here (a loaded machine would fail it).
    const id = await createUser(sb, "bench", 10_000);
    const t = await mint(sb, id);
    const params = {
      "tweet.fields": "created_at,lang,entities,public_metrics,attachments,author_id,conversation_id,possibly_sensitive,note_tweet",
      expansions: "author_id,attachments.media_keys",
      "user.fields": "name,username,profile_image_url,verified,description",
      "media.fields": "url,preview_image_url,type,width,height,alt_text,duration_ms,variants",
      max_results: "100",
    };
    const seen: string[] = [];
    let next: string | undefined;
    do {
      const page = await bookmarksPage(sb, id, t.access_token, { ...params, ...(next && { pagination_token: next }) });
      for (const d of page.data ?? []) seen.push(d.id);
      next = page.meta.next_token;
    } while (next);
    expect(seen).toHaveLength(10_000);
    expect(new Set(seen).size).toBe(10_000);
    expect(seen).toEqual((await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids);
  }, 30_000);
});
