import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { libraryWrite } from "~/server/api/library-write";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { userError } from "~/server/api/user-message";
import { EditConflictError } from "~/server/bookmarks/conflict";
import { bookmarkEdit, bulkAction, bulkEdit, editBookmark } from "~/server/bookmarks/edit";
import { editPatch } from "~/server/library/changes";
import { bookmarkCountRead, bookmarkPageRead, bookmarksCountInput, bookmarksListInput } from "~/server/library/reads";
import { webMetrics } from "~/server/metrics";
import { libraryFilter } from "~/shared/filter";

/** The account an edit was made as (the offline queue sends it: see src/trpc/offline-queue.ts). */
const madeAs = { asUser: z.string().min(1).max(64).optional() };

/**
 * Reads go through the user's library cache; every write is a libraryWrite, which invalidates it
 * and publishes a change to the user's sockets after the commit.
 */
export const bookmarksRouter = createTRPCRouter({
  // Reads may come from the replica (db-replica.ts); the same descriptions feed the cache warm.
  list: protectedProcedure.input(bookmarksListInput).query(({ ctx, input }) =>
    ctx.cache.through(
      ctx.session.user.id,
      bookmarkPageRead(() => ctx.reads.forUser(ctx.session.user.id), ctx.session.user.id, input),
    ),
  ),

  count: protectedProcedure.input(bookmarksCountInput).query(({ ctx, input }) =>
    ctx.cache.through(
      ctx.session.user.id,
      bookmarkCountRead(() => ctx.reads.forUser(ctx.session.user.id), ctx.session.user.id, input),
    ),
  ),

  update: libraryWrite("bookmarks", "update")
    .input(bookmarkEdit.extend(madeAs))
    .mutation(async ({ ctx, input }) => {
      const userId = ctx.session.user.id;
      const { asUser, ...edit } = input;
      if (asUser !== undefined && asUser !== userId) {
        // An edit kept on a device (offline) for one account, sent after another logged in there:
        // refused untouched, so the device keeps it for its owner.
        throw userError("PRECONDITION_FAILED", "otherAccountEdit", "This edit was made by another account logged in on this device.");
      }
      let out: Awaited<ReturnType<typeof editBookmark>>;
      try {
        out = await editBookmark(ctx.db, userId, edit);
      } catch (e) {
        if (e instanceof TRPCError && e.cause instanceof EditConflictError) webMetrics().editMerge("conflict");
        throw e;
      }
      webMetrics().editMerge(out.result);
      // Other tabs patch their cached copy with the changed fields instead of refetching.
      ctx.changed({ ids: [out.id], bookmark: editPatch(edit, out.version) });
      return out;
    }),

  bulk: libraryWrite("bookmarks", "update")
    .input(bulkAction)
    .mutation(async ({ ctx, input }) => {
      const out = await bulkEdit(ctx.db, ctx.session.user.id, input);
      const kind = input.action.kind;
      ctx.changed({ ids: out.changed, ...(kind === "delete" || kind === "restore" ? { action: kind } : {}) });
      return { changed: out.changed.length };
    }),
});
