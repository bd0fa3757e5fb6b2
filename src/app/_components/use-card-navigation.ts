"use client";

import { useEffect, useRef } from "react";
import { isTypingTarget } from "./library-client";

/** Whether a key press belongs to a list shortcut (not typing, not inside a dialog or menu). */
export function isListShortcut(e: KeyboardEvent): boolean {
  if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target) || document.querySelector("dialog[open]")) return false;
  return !(e.target as HTMLElement | null)?.closest?.("[role=dialog], [role=menu], [role=listbox]");
}

/** The card element of a bookmark, if it is rendered. */
export function cardElement(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-testid=bookmark][data-bookmark-id="${CSS.escape(id)}"]`);
}

/**
 * j/k move the focus between bookmarks. The list is virtualised, so the next card may not be in
 * the page yet: the position is kept as an index into all loaded bookmarks, the list scrolls it
 * into view (`scrollToIndex`), and the card is focused once it is rendered.
 */
export function useCardNavigation(ids: readonly string[], scrollToIndex: (index: number) => void) {
  const last = useRef(-1);
  const latest = useRef({ ids, scrollToIndex });
  useEffect(() => {
    latest.current = { ids, scrollToIndex };
  });

  useEffect(() => {
    let frame = 0;
    const onKey = (e: KeyboardEvent) => {
      if ((e.key !== "j" && e.key !== "k") || !isListShortcut(e)) return;
      const { ids, scrollToIndex } = latest.current;
      if (ids.length === 0) return;
      const focusedId = (document.activeElement as HTMLElement | null)?.closest<HTMLElement>("[data-testid=bookmark]")?.dataset.bookmarkId;
      const at = focusedId ? ids.indexOf(focusedId) : Math.min(last.current, ids.length - 1);
      const next = e.key === "j" ? Math.min(at + 1, ids.length - 1) : Math.max(at - 1, 0);
      e.preventDefault();
      last.current = next;
      scrollToIndex(next);
      // Focus the card as soon as the list has rendered it (a few frames at most).
      cancelAnimationFrame(frame);
      let tries = 0;
      const focus = () => {
        const el = cardElement(ids[next]!);
        if (el) el.focus({ preventScroll: true });
        else if (++tries < 20) frame = requestAnimationFrame(focus);
      };
      focus();
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      cancelAnimationFrame(frame);
    };
  }, []);
}
