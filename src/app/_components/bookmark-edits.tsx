"use client";

import { useCallback, useState, type ReactNode } from "react";
import { ConflictDialog } from "./conflict-dialog";
import type { Conflict } from "./edit-changes";
import { ConflictContext, ReplayContext } from "./edit-contexts";
import { useOfflineReplay } from "./use-offline-replay";

/**
 * A card's quick edits are split by job: the cached list pages (list-cache.ts), the edit as data
 * (edit-changes.ts), the optimistic send (use-bookmark-editor.ts), the offline queue's replay
 * (use-offline-replay.ts) and the conflict dialog (conflict-dialog.tsx). This provider ties them
 * together for the cards inside it.
 */
export { useBookmarkEditor } from "./use-bookmark-editor";
export type { EditBase, EditChanges } from "./edit-changes";
export type { Bookmark } from "./list-cache";

/** Hosts the conflict dialog and the offline queue's replay for the cards inside it. */
export function BookmarkEditsProvider({ userId, children }: { userId: string; children: ReactNode }) {
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const open = useCallback((c: Conflict) => setConflicts((cs) => [...cs.filter((x) => x.current.id !== c.current.id), c]), []);
  const close = useCallback(() => setConflicts((cs) => cs.slice(1)), []);
  const replay = useOfflineReplay(userId, open);
  const shown = conflicts[0];
  return (
    <ConflictContext.Provider value={open}>
      <ReplayContext.Provider value={replay}>
        {children}
        {shown && <ConflictDialog key={`${shown.current.id}-${shown.current.version}`} conflict={shown} onClose={close} />}
      </ReplayContext.Provider>
    </ConflictContext.Provider>
  );
}
