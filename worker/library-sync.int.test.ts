import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "~/testing/harness";

/** The library and the sync together: what a sync saves is searchable, and what a person organised survives the next sync. */
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ pageSize: 100 });
});
afterAll(async () => {
  await h?.close();
});

describe("library after a sync", () => {
  it("synced posts are searchable in Japanese and English, by author and handle, straight away", async () => {
    const user = await h.createUser(300);
    const api = h.caller(user.id);
    expect(await api.bookmarks.count()).toBe(0); // cached as 0 ...
    await h.waitForRun((await api.sync.start({ mode: "full" })).runId);
    expect(await api.bookmarks.count()).toBe(300); // ... and the sync invalidated it

    const all = (await api.bookmarks.list({ limit: 100 })).items;
    const ja = all.find((b) => b.post.lang === "ja" && /[\u3040-\u30ff\u4e00-\u9faf]{4}/.test(b.post.text))!;
    const word = ja.post.text.match(/[\u4e00-\u9faf\u30a0-\u30ff]{3,}/)?.[0] ?? ja.post.text.slice(0, 4);
    const found = await api.bookmarks.list({ filter: { q: word }, limit: 100 });
    expect(found.items.map((b) => b.id)).toContain(ja.id);
    // A match may be in the post, its author, or what its card shows: the quoted post, link titles.
    const shown = (b: (typeof found.items)[number]) =>
      [
        b.post.text,
        b.author.name,
        b.post.quoted?.post?.text ?? "",
        ...(b.post.entities?.urls ?? []).map((u) => `${u.title ?? ""} ${u.description ?? ""}`),
      ].join("\n");
    const misses = found.items.filter((b) => !shown(b).normalize("NFKC").toLowerCase().includes(word.normalize("NFKC").toLowerCase()));
    expect(misses.map((b) => [word, b.post.text, b.author.name, b.tags])).toEqual([]);

    const byHandle = await api.bookmarks.list({ filter: { q: `from:${ja.author.username}` }, limit: 100 });
    expect(byHandle.items.length).toBeGreaterThan(0);
    expect(byHandle.items.every((b) => b.author.username === ja.author.username)).toBe(true);

    const en = all.find((b) => b.post.lang === "en")!;
    const enWord = en.post.text.match(/[A-Za-z]{6,}/)![0];
    expect((await api.bookmarks.list({ filter: { q: enWord }, limit: 100 })).items.map((b) => b.id)).toContain(en.id);
  });

  it("tags, notes and deletions survive the next full sync; a deleted bookmark does not come back", async () => {
    const user = await h.createUser(120);
    const api = h.caller(user.id);
    await h.waitForRun((await api.sync.start({ mode: "full" })).runId);
    const [a, b] = (await api.bookmarks.list({ limit: 2 })).items;
    await api.bookmarks.update({ id: a!.id, addTags: ["keep"], note: "my note" });
    await api.bookmarks.bulk({ ids: [b!.id], action: { kind: "delete" } });

    const again = await h.waitForRun((await api.sync.start({ mode: "full" })).runId);
    expect(again).toMatchObject({ status: "SUCCEEDED", fetched: 120, created: 0, removed: 0 });
    expect(await api.bookmarks.count()).toBe(119);
    const kept = (await api.bookmarks.list({ filter: { q: "#keep" } })).items;
    expect(kept.map((x) => [x.id, x.note])).toEqual([[a!.id, "my note"]]);
    expect((await api.bookmarks.list({ limit: 100 })).items.some((x) => x.id === b!.id)).toBe(false);
    // Undo still works after the sync, in its place in X's order.
    await api.bookmarks.bulk({ ids: [b!.id], action: { kind: "restore" } });
    expect((await api.bookmarks.list({ limit: 2 })).items.map((x) => x.id)).toEqual([a!.id, b!.id]);
  });
});
