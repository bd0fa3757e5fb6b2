import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { libraryWrite } from "~/server/api/library-write";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { EditConflictError } from "~/server/bookmarks/conflict";
import { bookmarkEdit, bulkAction, bulkEdit, editBookmark } from "~/server/bookmarks/edit";
import { countBookmarks, listBookmarks } from "~/server/bookmarks/list";
import { CURSOR_PATTERN } from "~/server/bookmarks/query";
import { webMetrics } from "~/server/metrics";
import { libraryFilter } from "~/shared/filter";

/** The account an edit was made as (the offline queue sends it: see src/trpc/offline-queue.ts). */
const madeAs = { asUser: z.string().min(1).max(64).optional() };

/**
 * Reads go through the user's library cache; every write is a libraryWrite, which invalidates it
 * and publishes a change to the user's sockets after the commit.
 */
export const bookmarksRouter = createTRPCRouter({
  list: protectedProcedure
    .input(
      z.object({
        filter: libraryFilter.optional(),
        cursor: z.string().regex(CURSOR_PATTERN, "Not a valid page cursor.").nullish(),
        limit: z.number().int().min(1).max(100).default(30),
      }),
    )
    .query(({ ctx, input }) => {
      const userId = ctx.session.user.id;
      const filter = input.filter ?? libraryFilter.parse({});
      return ctx.cache.read(userId, "bookmarks.list", input, () => listBookmarks(ctx.db, userId, filter, input));
    }),

  count: protectedProcedure.input(z.object({ filter: libraryFilter.optional() }).optional()).query(({ ctx, input }) => {
    const userId = ctx.session.user.id;
    const filter = input?.filter ?? libraryFilter.parse({});
    return ctx.cache.read(userId, "bookmarks.count", filter, () => countBookmarks(ctx.db, userId, filter));
  }),

  update: libraryWrite("bookmarks", "update").input(bookmarkEdit.extend(madeAs)).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    const { asUser, ...edit } = input;
    if (asUser !== undefined && asUser !== userId) {
      // An edit kept on a device (offline) for one account, sent after another logged in there:
      // refused untouched, so the device keeps it for its owner.
      throw new TRPCError({ code: "PRECONDITION_FAILED", message: "This edit was made by another account logged in on this device." });
    }
    let out: Awaited<ReturnType<typeof editBookmark>>;
    try {
      out = await editBookmark(ctx.db, userId, edit);
    } catch (e) {
      if (e instanceof TRPCError && e.cause instanceof EditConflictError) webMetrics().editMerge("conflict");
      throw e;
    }
    webMetrics().editMerge(out.result);
    ctx.changed({ ids: [out.id] });
    return out;
  }),

  bulk: libraryWrite("bookmarks", "update").input(bulkAction).mutation(async ({ ctx, input }) => {
    const out = await bulkEdit(ctx.db, ctx.session.user.id, input);
    const kind = input.action.kind;
    ctx.changed({ ids: out.changed, ...(kind === "delete" || kind === "restore" ? { action: kind } : {}) });
    return { changed: out.changed.length };
  }),
});
