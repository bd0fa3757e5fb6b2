import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { errorOf } from "~/testing/errors";
import { createLibraryUser, libraryHarness, seedBookmarks } from "~/testing/library-seed";

/**
 * Organising through the tRPC procedures the UI calls: tags, categories, notes, favourites, bulk
 * actions; every edit bumps the version and shows in the very next (cached) read; bad input and
 * other people's ids are refused.
 */
const h = libraryHarness();
afterAll(() => h.close());

let userId: string;
let ids: string[];
const api = () => h.caller(userId);
const list = async (q = "", extra: Record<string, unknown> = {}) =>
  (await api().bookmarks.list({ filter: { q, ...extra }, limit: 100 })).items;
const one = async (id: string) => (await list()).find((b) => b.id === id)!;

beforeEach(async () => {
  userId = (await createLibraryUser(h.db)).id;
  ids = await seedBookmarks(h.db, userId, [
    { text: "Postgres tuning notes" },
    { text: "東京の美味しいラーメン屋" },
    { text: "TypeScript tips" },
    { text: "量子コンピュータ入門" },
  ]);
});

describe("one bookmark's edits", () => {
  it("note, favourite, category and tags: each bumps the version and is searchable at once", async () => {
    // Warm the cache first: every later read must see the edit anyway.
    expect(await list("ラーメン")).toHaveLength(1);
    const cat = await api().categories.create({ name: "食べ物", color: "#F97316" });
    expect(cat.color).toBe("#f97316");

    const v1 = (await one(ids[1]!)).version;
    const r = await api().bookmarks.update({
      id: ids[1]!,
      note: "  週末に行く\n予約必要  ",
      favorite: true,
      categoryId: cat.id,
      addTags: ["  ＃グルメ ", "tokyo"],
    });
    expect(r.version).toBe(v1 + 1);
    const b = await one(ids[1]!);
    expect(b).toMatchObject({
      note: "週末に行く\n予約必要",
      favorite: true,
      category: { id: cat.id, name: "食べ物", color: "#f97316" },
      version: v1 + 1,
    });
    expect(b.tags.map((t) => t.name)).toEqual(["tokyo", "グルメ"]);

    expect((await list("週末")).map((x) => x.id)).toEqual([ids[1]]); // note
    expect((await list("#グルメ")).map((x) => x.id)).toEqual([ids[1]]); // tag, by the query language
    expect((await list("グルメ")).map((x) => x.id)).toEqual([ids[1]]); // tag name as a word
    expect((await list("is:favorite category:食べ物")).map((x) => x.id)).toEqual([ids[1]]);

    // Take it back off, one thing at a time; each shows immediately.
    const tokyo = b.tags.find((t) => t.name === "tokyo")!.id;
    await api().bookmarks.update({ id: ids[1]!, removeTagIds: [tokyo] });
    expect((await one(ids[1]!)).tags.map((t) => t.name)).toEqual(["グルメ"]);
    expect(await list("#tokyo")).toEqual([]);
    await api().bookmarks.update({ id: ids[1]!, categoryId: null, favorite: false, note: "" });
    expect(await one(ids[1]!)).toMatchObject({ category: null, favorite: false, note: "", version: v1 + 3 });
    expect(await list("週末")).toEqual([]);
    // Adding a tag it already has changes nothing but the edit's own version.
    await api().bookmarks.update({ id: ids[1]!, addTags: ["グルメ", "ｸﾞﾙﾒ"] });
    expect((await one(ids[1]!)).tags.map((t) => t.name)).toEqual(["グルメ"]);
    expect((await api().tags.list()).map((t) => [t.name, t.count])).toEqual([
      ["tokyo", 0],
      ["グルメ", 1],
    ]);
  });

  it("bad input gets clear errors and changes nothing", async () => {
    const before = await one(ids[0]!);
    const cases: [unknown, RegExp][] = [
      [{ id: ids[0], addTags: ["x".repeat(51)] }, /at most 50 characters/],
      [{ id: ids[0], addTags: ["bad\u0000tag"] }, /control characters/],
      [{ id: ids[0], addTags: ["   "] }, /needs a name/],
      [{ id: ids[0], addTags: ["\u202Eevil"] }, /control characters/],
      [{ id: ids[0], note: "a\u0007b" }, /control characters/],
      [{ id: ids[0], note: "x".repeat(10_001) }, /at most 10,000 characters/],
      [{ id: ids[0], addTags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, /at most 20 tags/],
      [{ id: "not-a-number" }, /Not a bookmark id/],
    ];
    for (const [input, message] of cases) {
      const e = await errorOf(api().bookmarks.update(input as never));
      expect(e.code).toBe("BAD_REQUEST");
      expect(e.message).toMatch(message);
    }
    await expect(api().categories.create({ name: "x", color: "red" })).rejects.toThrow(/colour like #3b82f6/);
    expect(await one(ids[0]!)).toEqual(before);
    expect(await api().tags.list()).toEqual([]);
  });

  it("a deleted or unknown bookmark answers NOT_FOUND", async () => {
    expect((await errorOf(api().bookmarks.update({ id: "999999999", favorite: true }))).code).toBe("NOT_FOUND");
    await api().bookmarks.bulk({ ids: [ids[0]!], action: { kind: "delete" } });
    expect((await errorOf(api().bookmarks.update({ id: ids[0]!, favorite: true }))).code).toBe("NOT_FOUND");
  });

  it("an edit made as another account (an offline queue sent after a change of account) is refused untouched", async () => {
    const before = await one(ids[1]!);
    const e = await errorOf(api().bookmarks.update({ id: ids[1]!, favorite: true, asUser: "someone-else" }));
    expect(e.code).toBe("PRECONDITION_FAILED");
    expect(e.message).toMatch(/another account/);
    expect(await one(ids[1]!)).toEqual(before);
    // Made as this account: applied as usual.
    await api().bookmarks.update({ id: ids[1]!, favorite: true, asUser: userId });
    expect((await one(ids[1]!)).favorite).toBe(true);
  });
});

describe("bulk actions on a selection", () => {
  it("add and remove tags, set category and favourite, delete and undo", async () => {
    const cat = await api().categories.create({ name: "Tech", color: "#3b82f6" });
    const sel = [ids[0]!, ids[2]!];
    expect(await api().bookmarks.bulk({ ids: sel, action: { kind: "addTags", names: ["dev", "読む"] } })).toEqual({ changed: 2 });
    expect((await list("#dev")).map((b) => b.id).sort()).toEqual([...sel].sort());
    expect(await api().bookmarks.bulk({ ids: sel, action: { kind: "setCategory", categoryId: cat.id } })).toEqual({ changed: 2 });
    expect(await api().bookmarks.bulk({ ids: sel, action: { kind: "setCategory", categoryId: cat.id } })).toEqual({ changed: 0 });
    expect(await api().bookmarks.bulk({ ids, action: { kind: "setFavorite", favorite: true } })).toEqual({ changed: 4 });
    const dev = (await api().tags.list()).find((t) => t.name === "dev")!;
    expect(dev.count).toBe(2);
    expect(await api().bookmarks.bulk({ ids: [ids[0]!], action: { kind: "removeTags", tagIds: [dev.id] } })).toEqual({ changed: 1 });
    expect((await list("#dev")).map((b) => b.id)).toEqual([ids[2]]);
    expect((await api().categories.list())[0]).toMatchObject({ name: "Tech", count: 2 });

    // Delete: gone from lists, searches, counts and tag counts; undo brings everything back.
    expect(await api().bookmarks.bulk({ ids: sel, action: { kind: "delete" } })).toEqual({ changed: 2 });
    expect((await list()).map((b) => b.id)).toEqual([ids[1], ids[3]]);
    expect(await list("#読む")).toEqual([]);
    expect(await api().bookmarks.count()).toBe(2);
    expect((await api().tags.list()).find((t) => t.name === "読む")!.count).toBe(0);
    expect(await api().bookmarks.bulk({ ids: sel, action: { kind: "restore" } })).toEqual({ changed: 2 });
    expect((await list("#読む")).map((b) => b.id).sort()).toEqual([...sel].sort());
    expect(await api().bookmarks.count()).toBe(4);
  });

  it("refuses empty, oversized and foreign selections", async () => {
    await expect(api().bookmarks.bulk({ ids: [], action: { kind: "delete" } })).rejects.toThrow(/at least one/);
    await expect(
      api().bookmarks.bulk({ ids: Array.from({ length: 1001 }, (_, i) => String(i + 1)), action: { kind: "delete" } }),
    ).rejects.toThrow(/at most 1,000/);
    const other = (await createLibraryUser(h.db)).id;
    const theirs = await seedBookmarks(h.db, other, [{ text: "not yours" }]);
    const theirCat = await h.caller(other).categories.create({ name: "Theirs", color: "#22c55e" });
    const theirTag = await h.caller(other).tags.create({ name: "theirs" });
    // Their bookmark ids are ignored; their tag and category ids are refused.
    expect(await api().bookmarks.bulk({ ids: theirs, action: { kind: "delete" } })).toEqual({ changed: 0 });
    expect(await api().bookmarks.bulk({ ids: theirs, action: { kind: "addTags", names: ["mine"] } })).toEqual({ changed: 0 });
    expect((await errorOf(api().bookmarks.bulk({ ids, action: { kind: "setCategory", categoryId: theirCat.id } }))).code).toBe("NOT_FOUND");
    expect((await errorOf(api().bookmarks.bulk({ ids, action: { kind: "removeTags", tagIds: [theirTag.id] } }))).code).toBe("NOT_FOUND");
    expect((await errorOf(api().bookmarks.update({ id: theirs[0]!, note: "hi" }))).code).toBe("NOT_FOUND");
    expect((await errorOf(api().tags.rename({ id: theirTag.id, name: "stolen" }))).code).toBe("NOT_FOUND");
    expect((await errorOf(api().tags.delete({ id: theirTag.id }))).code).toBe("NOT_FOUND");
    expect((await errorOf(api().categories.delete({ id: theirCat.id }))).code).toBe("NOT_FOUND");
    // Theirs is untouched.
    const still = (await h.caller(other).bookmarks.list({ filter: { q: "" } })).items[0]!;
    expect(still).toMatchObject({ id: theirs[0], note: "", tags: [] });
    expect((await h.caller(other).tags.list())[0]).toMatchObject({ name: "theirs" });
  });
});

describe("tags: rename, merge, delete", () => {
  it("rename changes every bookmark's tag and its search; a clash asks for a merge", async () => {
    await api().bookmarks.bulk({ ids: [ids[0]!, ids[1]!], action: { kind: "addTags", names: ["todo"] } });
    await api().bookmarks.bulk({ ids: [ids[2]!], action: { kind: "addTags", names: ["later"] } });
    const tags = await api().tags.list();
    const todo = tags.find((t) => t.name === "todo")!;
    const later = tags.find((t) => t.name === "later")!;
    const v = (await one(ids[0]!)).version;
    expect(await list("#todo")).toHaveLength(2); // cached now
    expect(await api().tags.rename({ id: todo.id, name: "あとで読む" })).toEqual({ changed: 2 });
    expect(await list("#todo")).toEqual([]);
    expect(await list("あとで")).toHaveLength(2);
    expect((await one(ids[0]!)).version).toBe(v + 1);

    const clash = await errorOf(api().tags.rename({ id: later.id, name: "＃あとで読む" }));
    expect(clash.code).toBe("CONFLICT");
    expect(clash.message).toMatch(/already have a tag named “あとで読む”. Merge/);
    // Same key ignoring case only: "Later" is a rename of itself.
    expect(await api().tags.rename({ id: later.id, name: "LATER" })).toEqual({ changed: 1 });

    expect(await api().tags.merge({ sourceIds: [later.id], targetId: todo.id })).toEqual({ changed: 1 });
    const after = await api().tags.list();
    expect(after.map((t) => [t.name, t.count])).toEqual([["あとで読む", 3]]);
    expect(await list("#LATER")).toEqual([]);

    expect(await api().tags.delete({ id: todo.id })).toEqual({ changed: 3 });
    expect(await api().tags.list()).toEqual([]);
    expect((await list()).every((b) => b.tags.length === 0)).toBe(true);
    expect(await list("あとで")).toEqual([]);
  });

  it("merging a tag into a bookmark that has both keeps one", async () => {
    await api().bookmarks.update({ id: ids[0]!, addTags: ["a", "b"] });
    const [a, b] = await api().tags.list();
    await api().tags.merge({ sourceIds: [b!.id], targetId: a!.id });
    expect((await one(ids[0]!)).tags).toEqual([{ id: a!.id, name: "a" }]);
    await expect(api().tags.merge({ sourceIds: [a!.id], targetId: a!.id })).rejects.toThrow(/at least one other tag/);
  });
});

describe("at the same time (two tabs)", () => {
  it("the same new tag added to several bookmarks at once lands on all of them, as one tag", async () => {
    const results = await Promise.all(ids.map((id) => api().bookmarks.update({ id, addTags: ["同時"] })));
    expect(results).toHaveLength(4);
    expect((await list("#同時")).map((b) => b.id).sort()).toEqual([...ids].sort());
    expect((await api().tags.list()).map((t) => [t.name, t.count])).toEqual([["同時", 4]]);
  });

  it("renames and merges racing tag edits leave every bookmark's tags and search text consistent", async () => {
    await api().bookmarks.update({ id: ids[0]!, addTags: ["old"] });
    const old = (await api().tags.list())[0]!;
    await Promise.all([
      api().tags.rename({ id: old.id, name: "new" }),
      ...ids.slice(1).map((id) =>
        api()
          .bookmarks.update({ id, addTags: ["old"] })
          .catch(() => null),
      ),
    ]);
    // Whatever the order, search text matches the tags each bookmark ends up with.
    for (const b of await list()) {
      const [row] = await h.db.$queryRawUnsafe<{ tagText: string }[]>(`SELECT "tagText" FROM "Bookmark" WHERE id = $1::int8`, b.id);
      expect(row!.tagText).toBe(b.tags.map((t) => t.name).join(" "));
    }
  });
});

describe("categories", () => {
  it("rename and recolour show on bookmarks; delete leaves them uncategorised; names are unique", async () => {
    const c = await api().categories.create({ name: "Read later", color: "#3b82f6" });
    await api().bookmarks.bulk({ ids: [ids[0]!, ids[3]!], action: { kind: "setCategory", categoryId: c.id } });
    expect((await one(ids[0]!)).category?.name).toBe("Read later");
    expect(await api().categories.update({ id: c.id, name: "読む", color: "#ef4444" })).toEqual({ changed: 2 });
    expect((await one(ids[3]!)).category).toEqual({ id: c.id, name: "読む", color: "#ef4444" });
    expect(await list("category:読む")).toHaveLength(2);
    await expect(api().categories.create({ name: "よむ", color: "#3b82f6" })).resolves.toBeTruthy(); // different key
    expect((await errorOf(api().categories.create({ name: "読む", color: "#3b82f6" }))).code).toBe("CONFLICT");
    expect(await api().categories.delete({ id: c.id })).toEqual({ changed: 2 });
    expect((await one(ids[0]!)).category).toBeNull();
    expect(await list("category:読む")).toEqual([]);
  });
});

describe("the library cache", () => {
  it("serves repeated reads from cache and drops them on any write", async () => {
    const before = await list();
    // Change the database behind the cache's back: a cached page does not see it ...
    await h.db.bookmark.update({ where: { id: BigInt(ids[0]!) }, data: { note: "sneaky" } });
    expect(await list()).toEqual(before);
    // ... and any write through the app invalidates every cached page of the user.
    await api().bookmarks.update({ id: ids[1]!, favorite: true });
    expect((await one(ids[0]!)).note).toBe("sneaky");
  });

  it("each kind of edit invalidates", async () => {
    const c = await api().categories.create({ name: "c", color: "#3b82f6" });
    const t = await api().tags.create({ name: "t" });
    const edits: [string, () => Promise<unknown>][] = [
      ["bookmarks.update", () => api().bookmarks.update({ id: ids[0]!, favorite: true })],
      ["bookmarks.bulk", () => api().bookmarks.bulk({ ids: [ids[0]!], action: { kind: "setFavorite", favorite: false } })],
      ["tags.create", () => api().tags.create({ name: `t${Math.random()}` })],
      ["tags.rename", () => api().tags.rename({ id: t.id, name: `r${Math.random()}` })],
      ["categories.create", () => api().categories.create({ name: `c${Math.random()}`, color: "#3b82f6" })],
      ["categories.update", () => api().categories.update({ id: c.id, color: "#ef4444" })],
      ["tags.delete", () => api().tags.delete({ id: t.id })],
      ["categories.delete", () => api().categories.delete({ id: c.id })],
    ];
    for (const [name, edit] of edits) {
      await list(); // cached
      await h.db.bookmark.update({ where: { id: BigInt(ids[3]!) }, data: { note: name } }); // behind its back
      await edit();
      expect((await one(ids[3]!)).note, name).toBe(name);
    }
  });
});
