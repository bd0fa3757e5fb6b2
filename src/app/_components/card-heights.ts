"use client";

/**
 * Measured card heights by bookmark id, for the tab's session: a list that mounts again (back to
 * the page, a view switched back, a reload) starts with its real height, so a restored scroll
 * position shows the cards it showed (with estimates, every card above it would be off by the
 * difference). Kept in sessionStorage when the page is left, for the window width they were
 * measured at; bounded, the oldest dropped first.
 */
const KEY = "xb-card-heights";
const MAX_CARDS = 5_000;

let heights: Map<string, number> | null = null;

function load(): Map<string, number> {
  if (heights) return heights;
  heights = new Map();
  if (typeof window === "undefined") return heights;
  try {
    const stored = JSON.parse(sessionStorage.getItem(KEY) ?? "null") as { width?: unknown; cards?: unknown } | null;
    if (stored && stored.width === window.innerWidth && Array.isArray(stored.cards)) {
      for (const c of stored.cards as unknown[]) {
        if (Array.isArray(c) && typeof c[0] === "string" && typeof c[1] === "number") heights.set(c[0], c[1]);
      }
    }
  } catch {
    // Storage disabled or a bad entry: start from estimates.
  }
  window.addEventListener("pagehide", save);
  return heights;
}

function save() {
  try {
    sessionStorage.setItem(KEY, JSON.stringify({ width: window.innerWidth, cards: [...load()] }));
  } catch {
    // Storage full or disabled: the next load starts from estimates.
  }
}

export function cardHeight(id: string): number | undefined {
  return load().get(id);
}

export function setCardHeight(id: string, px: number) {
  const h = load();
  h.delete(id); // re-inserted last: the most recently measured are kept
  h.set(id, px);
  if (h.size > MAX_CARDS) h.delete(h.keys().next().value!);
}

/** At log-out: the heights name the bookmarks of whoever was logged in. */
export function forgetCardHeights() {
  heights = new Map();
  if (typeof window !== "undefined") window.removeEventListener("pagehide", save);
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Storage disabled: nothing was kept.
  }
}
