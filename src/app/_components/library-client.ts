"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { tagKey } from "~/lib/names";
import type { RouterOutputs } from "~/shared/router-types";
import { useTRPC } from "~/trpc/react";

/** Shared client-side helpers for the library's components. */

type Outputs = RouterOutputs;
export type TagItem = Outputs["tags"]["list"][number];
export type CategoryItem = Outputs["categories"]["list"][number];
export type HighlightSpec = Outputs["bookmarks"]["list"]["highlight"];

/**
 * After any edit: everything under bookmarks (list, count), tags and categories may have
 * changed. Resolves when the refetches have landed, so a mutation that awaits it stays pending
 * (and its optimistic look stays up) until the fresh data is on screen.
 */
export function useInvalidateLibrary() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.bookmarks.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.tags.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.categories.pathKey() }),
      ]).then(() => undefined),
    [queryClient, trpc],
  );
}

interface ErrorLike {
  message: string;
  data?: {
    code?: string;
    zodError?: { formErrors?: string[]; fieldErrors?: Record<string, string[] | undefined> } | null;
  } | null;
}

/**
 * An API error in words for the person. Input validation errors carry zod's issues (the raw
 * message is JSON); show their messages, each once.
 */
export function errorText(error: ErrorLike | null | undefined): string | null {
  if (!error) return null;
  const z = error.data?.zodError;
  if (z) {
    const messages = [...(z.formErrors ?? []), ...Object.values(z.fieldErrors ?? {}).flatMap((m) => m ?? [])];
    if (messages.length > 0) return [...new Set(messages)].join(" ");
  }
  return error.message;
}

export function errorCode(error: Pick<ErrorLike, "data"> | null | undefined): string | undefined {
  return error?.data?.code;
}

/** For matching what someone types against tag names ("＃ＡＩ" finds "ai"): the tag's key. */
export const foldForMatch = tagKey;

/** True while an input method is composing (Japanese IME): Enter and Esc belong to the IME then. */
export function isComposing(e: { nativeEvent: KeyboardEvent } | KeyboardEvent): boolean {
  const ne = "nativeEvent" in e ? e.nativeEvent : e;
  return ne.isComposing || ne.keyCode === 229;
}

/** True when a key press is aimed at a text field (or a menu), so page shortcuts must stay out. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") {
    const type = (target as HTMLInputElement).type;
    return !["checkbox", "radio", "button", "submit", "reset"].includes(type);
  }
  return false;
}
