"use client";

import { useMutation } from "@tanstack/react-query";
import { useCallback } from "react";
import { enqueueEdit, queuedEdits, type QueuedEdit } from "~/trpc/offline-queue";
import { useTRPC } from "~/trpc/react";
import { isNetworkError } from "~/trpc/replay-outcome";
import { applyChanges, baseOf, changesOf, conflictOf, refusedText, undoChanges, type EditBase, type EditChanges } from "./edit-changes";
import { useOpenConflict, useReplay } from "./edit-contexts";
import { errorText, useInvalidateLibrary } from "./library-client";
import { useLibrary } from "./library-context";
import { useListCache } from "./list-cache";
import { useToast } from "./toast";

/**
 * A card's quick edits, optimistic: the cached list pages change at once, the edit goes out with
 * the version and values it was based on, and a refusal undoes it (with a toast) — except a true
 * clash (CONFLICT), which shows both versions and lets the person choose.
 *
 * `send(seen, changes)`: the edit, based on `seen` (the bookmark's version and values when the
 * person started it). Resolves once saved; on CONFLICT resolves too (the dialog takes over);
 * rejects with the reason on any other refusal, after undoing the change.
 */
export function useBookmarkEditor() {
  const trpc = useTRPC();
  const cache = useListCache();
  const toast = useToast();
  const invalidate = useInvalidateLibrary();
  const { categories } = useLibrary();
  const openConflict = useOpenConflict();

  const mutation = useMutation(
    trpc.bookmarks.update.mutationOptions({
      onMutate: async (vars) => {
        // A refetch landing now would paint over the optimistic look.
        await cache.cancel();
        const before = cache.find(vars.id);
        if (before) cache.patch(vars.id, (b) => applyChanges(b, vars, categories));
        return { before };
      },
      onError: (error, vars, ctx) => {
        // Kept as it is, and queued (by send): it goes out once the network is back.
        if (isNetworkError(error)) return;
        const conflict = conflictOf(error);
        if (conflict && ctx?.before) {
          const mine = applyChanges(ctx.before, vars, categories);
          // Theirs is what is saved: show it until the person chooses.
          cache.patch(vars.id, () => conflict.current);
          openConflict({ changes: changesOf(vars), mine, current: conflict.current, fields: conflict.fields });
          return;
        }
        const before = ctx?.before;
        if (before) cache.patch(vars.id, (b) => undoChanges(b, before, vars));
        toast({ tone: "error", text: refusedText(errorText(error)) });
      },
      onSuccess: async (out, vars) => {
        cache.patch(out.id, (b) => (b.version >= out.version ? b : { ...b, version: out.version }));
        // Counts, filtered views and tag ids may have changed. New tags need their real ids and a
        // merged edit brings the other side's fields: wait for those before the edit settles.
        const fresh = invalidate();
        if (vars.addTags?.length || vars.removeTagIds?.length || out.result === "auto_merged") await fresh;
      },
    }),
  );
  const { mutateAsync } = mutation;
  const replay = useReplay();

  const queue = useCallback(
    async (input: QueuedEdit["input"]) => {
      try {
        await enqueueEdit(input);
      } catch {
        // Nowhere to keep it (no IndexedDB): undo, as for a refusal.
        void invalidate();
        toast({ tone: "error", text: "Couldn't save: you are offline and this browser cannot keep edits. Your change was undone." });
        throw new Error("You are offline.");
      }
      replay();
    },
    [invalidate, toast, replay],
  );

  const send = useCallback(
    async (seen: EditBase, changes: EditChanges) => {
      const input = { id: seen.id, ...changes, baseVersion: seen.version, base: baseOf(seen, changes) };
      // Offline, or edits are already waiting (they go first): to the back of the queue.
      if (!navigator.onLine || queuedEdits().length > 0) {
        await cache.cancel();
        cache.patch(seen.id, (b) => applyChanges(b, changes, categories));
        return queue(input);
      }
      return mutateAsync(input).then(
        () => undefined,
        (error: unknown) => {
          if (conflictOf(error)) return undefined;
          if (isNetworkError(error)) return queue(input);
          throw new Error(errorText(error as { message: string }) ?? "Could not save. Please try again.");
        },
      );
    },
    [mutateAsync, cache, categories, queue],
  );
  return send;
}
