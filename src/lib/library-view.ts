/**
 * The library view a person sees when they open the app without a filter in the URL. Shared by the
 * page (src/app/_components/library.tsx) and the cache warm (src/server/library/warm.ts), so the
 * warm prepares exactly the answers the page asks for first.
 */

/** Bookmarks per page of the library list. */
export const LIBRARY_PAGE_SIZE = 30;

/** The filter the page sends for its default view: `toFilterInput(DEFAULT_STATE)` (a unit test checks). */
export const DEFAULT_VIEW_FILTER = { q: "", sort: "newest" } as const;
