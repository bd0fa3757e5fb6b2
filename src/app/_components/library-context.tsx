"use client";

import { createContext, useContext } from "react";
import type { CategoryItem, HighlightSpec, TagItem } from "./library-client";

/** What every card needs from the library around it, without passing it down by hand. */
export interface LibraryContextValue {
  tags: readonly TagItem[];
  categories: readonly CategoryItem[];
  highlight: HighlightSpec;
  /** Adds a tag to the filter (a click on a tag chip). */
  filterByTag: (tagId: number) => void;
  openTagManager: () => void;
  openCategoryManager: () => void;
}

export const LibraryContext = createContext<LibraryContextValue>({
  tags: [],
  categories: [],
  highlight: { terms: [], stems: [] },
  filterByTag: () => undefined,
  openTagManager: () => undefined,
  openCategoryManager: () => undefined,
});

export const useLibrary = () => useContext(LibraryContext);
