"use client";

import { useEffect, useRef } from "react";

const KEY = "xb-library-scroll:";

/**
 * Scroll restoration for the virtualised library: the window's scroll position is kept per view
 * (the URL's query) in sessionStorage and put back once the list is tall enough to hold it
 * (coming back to the page, or a reload; after a reload only the first pages are loaded again).
 * Only the view the page opens with is restored: a view changed on the page starts at its top.
 * The browser's own restoration cannot do it: it runs before the list has its height.
 */
export function useScrollRestoration(view: string, totalHeight: number, ready: boolean) {
  const restored = useRef(false);

  useEffect(() => {
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        try {
          sessionStorage.setItem(KEY + view, String(Math.round(window.scrollY)));
        } catch {
          // Storage full or disabled: nothing to restore later, nothing else breaks.
        }
      });
    };
    window.addEventListener("scroll", onScroll, { passive: true });
    return () => {
      window.removeEventListener("scroll", onScroll);
      cancelAnimationFrame(frame);
    };
  }, [view]);

  useEffect(() => {
    if (!ready || restored.current) return;
    restored.current = true;
    let saved = 0;
    try {
      saved = Number(sessionStorage.getItem(KEY + view) ?? 0);
    } catch {
      return;
    }
    if (saved > 0 && Number.isFinite(saved)) window.scrollTo(0, Math.min(saved, totalHeight));
  }, [view, ready, totalHeight]);
}
