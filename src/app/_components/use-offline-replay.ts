"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback, useEffect, useRef } from "react";
import { loadQueue, queuedEdits, removeEdit, setQueueOwner, useQueuedEdits, type QueuedEdit } from "~/trpc/offline-queue";
import { useConnectionStatus, useTRPC } from "~/trpc/react";
import { replayOutcome } from "~/trpc/replay-outcome";
import { applyChanges, changesOf, conflictOf, refusedText, type Conflict } from "./edit-changes";
import { errorText, useInvalidateLibrary } from "./library-client";
import { useLibrary } from "./library-context";
import { useListCache } from "./list-cache";
import { useToast } from "./toast";

/** How often a queue that could not be sent (network still failing while "online") is retried. */
const RETRY_MS = 15_000;

/**
 * Sends the offline queue, oldest first, one at a time: on page load, when the browser comes back
 * online, when the live connection is up again, and now and then while anything waits. Each edit
 * keeps the base it was made on, so the server merges or answers CONFLICT as for any edit. A
 * failure that is not a definitive refusal stops the round (the rest stays queued, in order); a
 * definitive 4xx drops the edit and says so (replay-outcome.ts). Returns `replay`, which starts a
 * round now (or another one after the current).
 */
export function useOfflineReplay(userId: string, openConflict: (c: Conflict) => void): () => void {
  const trpc = useTRPC();
  const cache = useListCache();
  const toast = useToast();
  const invalidate = useInvalidateLibrary();
  const { categories } = useLibrary();
  // Same mutation key as the cards' edits: a card shows its edit as in flight while it goes out.
  const { mutateAsync } = useMutation(trpc.bookmarks.update.mutationOptions());
  const running = useRef(false);
  const again = useRef(false);

  /** Sends one queued edit; false: the network failed, try again later. */
  const sendOne = useCallback(
    async ({ seq, userId: madeAs, input }: QueuedEdit): Promise<boolean> => {
      try {
        const out = await mutateAsync({ ...input, asUser: madeAs });
        await removeEdit(seq);
        cache.patch(out.id, (b) => (b.version >= out.version ? b : { ...b, version: out.version }));
        void invalidate();
        return true;
      } catch (error) {
        // Not sent, or not refused for good (logged out, too many requests, the server failing,
        // another account logged in now): keep it for a later round. A definitive 4xx drops it.
        if (replayOutcome(error) === "keep") return false;
        await removeEdit(seq);
        const conflict = conflictOf(error);
        if (conflict) {
          cache.patch(input.id, () => conflict.current);
          const changes = changesOf(input);
          openConflict({
            changes,
            mine: applyChanges(conflict.current, changes, categories),
            current: conflict.current,
            fields: conflict.fields,
          });
        } else {
          // What the server has is the truth: show it again.
          void invalidate();
          toast({ tone: "error", text: refusedText(errorText(error as { message: string })) });
        }
        return true;
      }
    },
    [mutateAsync, cache, invalidate, openConflict, categories, toast],
  );

  const replay = useCallback(() => {
    if (running.current) {
      again.current = true;
      return;
    }
    if (!navigator.onLine) return;
    running.current = true;
    const round = async () => {
      do {
        again.current = false;
        // Fresh from IndexedDB: another tab may have sent some meanwhile.
        await loadQueue();
        for (const entry of queuedEdits()) {
          if (!navigator.onLine || !(await sendOne(entry))) return;
        }
      } while (again.current);
    };
    // One tab at a time sends the device's queue.
    const done = typeof navigator.locks?.request === "function" ? navigator.locks.request("xb-offline-queue", round) : round();
    void done.catch(() => undefined).finally(() => (running.current = false));
  }, [sendOne]);

  const status = useConnectionStatus();
  const waiting = useQueuedEdits().length > 0;
  useEffect(() => {
    // Shows what waits for this account even while offline (after a reload); sends it if online.
    setQueueOwner(userId);
    void loadQueue().then(replay);
    window.addEventListener("online", replay);
    return () => window.removeEventListener("online", replay);
  }, [userId, replay]);
  useEffect(() => {
    if (status === "connected") replay();
  }, [status, replay]);
  useEffect(() => {
    if (!waiting) return;
    const t = setInterval(replay, RETRY_MS);
    return () => clearInterval(t);
  }, [waiting, replay]);

  return replay;
}
