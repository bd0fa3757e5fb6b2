import { describe, expect, it } from "vitest";
import { applyBookmarkPatch, filterOfKey, viewNeedsRefetch } from "./library-patch";
import type { Bookmark } from "./list-cache";

const bookmark = { id: "7", version: 3, favorite: false, note: "", category: null, tags: [{ id: 1, name: "a" }] } as unknown as Bookmark;
const work = { id: 5, name: "Work", color: "#3b82f6", count: 2 };

describe("applyBookmarkPatch", () => {
  it("applies the fields the edit set, and its version", () => {
    const next = applyBookmarkPatch(bookmark, { id: "7", version: 4, favorite: true, note: "hi" }, []);
    expect(next).toMatchObject({ version: 4, favorite: true, note: "hi", category: null, tags: [{ id: 1, name: "a" }] });
  });
  it("keeps a copy that already has this version or a newer one", () => {
    expect(applyBookmarkPatch(bookmark, { id: "7", version: 3, favorite: true }, [])).toBe(bookmark);
  });
  it("sets the category from the cached categories, or gives up when it is not there", () => {
    expect(applyBookmarkPatch(bookmark, { id: "7", version: 4, categoryId: 5 }, [work])?.category).toEqual({
      id: 5,
      name: "Work",
      color: "#3b82f6",
    });
    expect(applyBookmarkPatch(bookmark, { id: "7", version: 4, categoryId: 6 }, [work])).toBeNull();
    expect(
      applyBookmarkPatch(
        { ...bookmark, category: { id: 5, name: "Work", color: "#3b82f6" } },
        { id: "7", version: 4, categoryId: null },
        [],
      )?.category,
    ).toBeNull();
  });
});

describe("viewNeedsRefetch", () => {
  const star = { id: "7", version: 4, favorite: true };
  it("leaves the whole library and unrelated filters to the patch", () => {
    expect(viewNeedsRefetch(undefined, star)).toBe(false);
    expect(viewNeedsRefetch({ q: "", categoryId: 3 }, star)).toBe(false);
  });
  it("refetches views filtering on a changed field, and searches", () => {
    expect(viewNeedsRefetch({ favorite: true }, star)).toBe(true);
    expect(viewNeedsRefetch({ categoryId: null }, { id: "7", version: 4, categoryId: 5 })).toBe(true);
    expect(viewNeedsRefetch({ q: "is:fav" }, star)).toBe(true);
  });
  it("reads the filter out of a tRPC query key", () => {
    expect(filterOfKey([["bookmarks", "list"], { input: { filter: { favorite: true }, limit: 30 }, type: "infinite" }])).toEqual({
      favorite: true,
    });
    expect(filterOfKey([["bookmarks", "count"]])).toBeUndefined();
  });
});
