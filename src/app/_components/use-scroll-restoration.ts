"use client";

import { useEffect, useRef } from "react";

const KEY = "xb-library-scroll:";

/** Where the person left a view (0: its top, or nothing stored). */
function savedPosition(view: string): number {
  try {
    const y = Number(sessionStorage.getItem(KEY + view) ?? 0);
    return Number.isFinite(y) && y > 0 ? y : 0;
  } catch {
    return 0; // storage disabled: nothing to restore
  }
}

/** At log-out: whoever logs in next on this tab starts at the top of their own library. */
export function forgetScrollPositions() {
  try {
    for (const k of Object.keys(sessionStorage)) if (k.startsWith(KEY)) sessionStorage.removeItem(k);
  } catch {
    // Storage disabled: nothing was kept.
  }
}

/** The paging the list offers, so a position further down than the first pages can be reached. */
export interface RestorePaging {
  /** The list has its first answer (and it is the current view's). */
  ready: boolean;
  /** The list's height: restoring is tried again each time it changes. */
  totalHeight: number;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
}

/**
 * Scroll restoration for the virtualised library: the window's scroll position is kept per view
 * (the URL's query) in sessionStorage and put back once the list is tall enough to hold it
 * (coming back to the page, or a reload: only the first page is loaded again, so pages are loaded
 * until the position is reachable or the list has ended). Only the view the page opens with is
 * restored: a view changed on the page starts at its top.
 *
 * Until the position is back, nothing is saved: the page scrolls by itself while it is short
 * (the skeleton, the first page), and saving that would overwrite the position being restored.
 * The browser's own restoration is off for the same reason (it runs before the list has its
 * height and clamps to the short page). The person scrolling first gives up the restoring.
 */
export function useScrollRestoration(view: string, paging: RestorePaging) {
  // The position still to restore, and for which view; null once done (or given up).
  const pending = useRef<{ view: string; y: number } | null | undefined>(undefined);

  useEffect(() => {
    const before = history.scrollRestoration;
    history.scrollRestoration = "manual";
    return () => {
      history.scrollRestoration = before;
    };
  }, []);

  useEffect(() => {
    // Read once, before anything here can write it.
    if (pending.current === undefined) {
      const y = savedPosition(view);
      pending.current = y > 0 ? { view, y } : null;
    }
    let frame = 0;
    const onScroll = () => {
      if (pending.current) return;
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        try {
          sessionStorage.setItem(KEY + view, String(Math.round(window.scrollY)));
        } catch {
          // Storage full or disabled: nothing to restore later, nothing else breaks.
        }
      });
    };
    const giveUp = () => {
      pending.current = null;
    };
    const intents = ["wheel", "touchmove", "keydown", "pointerdown"] as const;
    window.addEventListener("scroll", onScroll, { passive: true });
    for (const e of intents) window.addEventListener(e, giveUp, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      for (const e of intents) window.removeEventListener(e, giveUp);
      cancelAnimationFrame(frame);
    };
  }, [view]);

  const { ready, totalHeight, hasMore, loadingMore, loadMore } = paging;
  useEffect(() => {
    const target = pending.current;
    if (!ready || !target) return;
    if (target.view !== view) {
      pending.current = null;
      return;
    }
    const room = document.documentElement.scrollHeight - window.innerHeight;
    if (room >= target.y || !hasMore) {
      pending.current = null;
      window.scrollTo(0, Math.min(target.y, Math.max(0, room)));
      return;
    }
    // Not tall enough yet: the next page (the list grows and this runs again).
    if (!loadingMore) loadMore();
  }, [view, ready, totalHeight, hasMore, loadingMore, loadMore]);
}
