"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useEffect, useState } from "react";
import type { LibraryChange } from "~/server/library/changes";
import { CLIENT_ID } from "~/trpc/client-id";
import { useLiveSubscription, useTRPC } from "~/trpc/react";
import { useChangePatcher } from "./use-change-patcher";

type Change = LibraryChange;
type Scope = "bookmarks" | "tags" | "categories";

/** Changes that come in a burst (a sync saving page after page) are refetched for once. */
const DEBOUNCE_MS = 100;

/** Which cached queries a change makes stale; null: all of them. */
function scopesOf(change: Change): Scope[] | null {
  // The subscription (re)started from scratch (page load, manual reconnect, switch to SSE): what
  // was loaded before it was in place may have missed changes. Refetch it all (ETags make an
  // unchanged answer a 304).
  if (change.kind === "start" || change.kind === "resync" || !change.ids) return null;
  if (change.kind === "bookmarks" || change.kind === "sync") return ["bookmarks"];
  // A renamed or deleted tag or category shows on the bookmarks that carry it.
  return change.ids.length > 0 ? [change.kind, "bookmarks"] : [change.kind];
}

/**
 * Follows the library's change feed and refetches what changes made elsewhere (another tab or
 * device, a sync) touched. This tab's own edits come back too; they are already on screen.
 * The socket resumes from the last event id by itself after a reconnect. Renders nothing.
 */
/** Collects what changes make stale and refetches it once, DEBOUNCE_MS after the first. */
class RefetchBatch {
  /** What is due (null: everything). */
  private due: Set<Scope> | null = new Set();
  private timer: ReturnType<typeof setTimeout> | null = null;
  constructor(private readonly run: (scopes: ReadonlySet<Scope>) => void) {}

  add(scopes: Scope[] | null) {
    if (scopes === null) this.due = null;
    else if (this.due) for (const s of scopes) this.due.add(s);
    this.timer ??= setTimeout(() => this.flush(), DEBOUNCE_MS);
  }

  private flush() {
    this.timer = null;
    const scopes = this.due ?? new Set<Scope>(["bookmarks", "tags", "categories"]);
    this.due = new Set();
    this.run(scopes);
  }

  cancel() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

export function LibraryLive() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [batch] = useState(
    () =>
      new RefetchBatch((scopes) => {
        // bookmarks: the list and the count; tags and categories: their lists (names, counts).
        if (scopes.has("bookmarks")) void queryClient.invalidateQueries({ queryKey: trpc.bookmarks.pathKey() });
        if (scopes.has("tags")) void queryClient.invalidateQueries({ queryKey: trpc.tags.list.pathKey() });
        if (scopes.has("categories")) void queryClient.invalidateQueries({ queryKey: trpc.categories.list.pathKey() });
      }),
  );

  const patch = useChangePatcher();
  const onData = useCallback(
    (event: { id: string; data: Change }) => {
      if (event.data.by === CLIENT_ID) return;
      // One bookmark edited elsewhere: patched in at once, without waiting for a refetch.
      if (patch(event.data)) return;
      batch.add(scopesOf(event.data));
    },
    [batch, patch],
  );
  useEffect(() => () => batch.cancel(), [batch]);

  // Started again after a manual reconnect or the switch to SSE: its `start` event refetches.
  useLiveSubscription(useSubscription(trpc.library.onChange.subscriptionOptions(undefined, { onData })));
  return null;
}
