import { userError } from "~/server/api/user-message";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { EditConflictError } from "~/server/bookmarks/conflict";
import { bookmarkEdit, bulkAction, bulkEdit, editBookmark } from "~/server/bookmarks/edit";
import { libraryFilter } from "~/server/bookmarks/filter";
import { countBookmarks, listBookmarks } from "~/server/bookmarks/list";
import { CURSOR_PATTERN } from "~/server/bookmarks/query";
import { clientIdSchema } from "~/server/library/changes";
import { webMetrics } from "~/server/metrics";

/** Writes may name the client (tab) sending them: their change events carry it as `by`. */
const withClient = { clientId: clientIdSchema.optional() };

/**
 * Reads go through the user's library cache; every write invalidates it and publishes a change
 * to the user's sockets (ctx.library.changed, after the commit).
 */
/** The account an edit was made as (the offline queue sends it: see src/trpc/offline-queue.ts). */
const madeAs = { asUser: z.string().min(1).max(64).optional() };

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

  update: protectedProcedure.input(bookmarkEdit.extend(withClient).extend(madeAs)).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    const { clientId, asUser, ...edit } = input;
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
    await ctx.library.changed(userId, { kind: "bookmarks", action: "update", ids: [out.id], by: clientId });
    return out;
  }),

  bulk: protectedProcedure.input(bulkAction.extend(withClient)).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    const { clientId, ...bulk } = input;
    const out = await bulkEdit(ctx.db, userId, bulk);
    const kind = bulk.action.kind;
    await ctx.library.changed(userId, {
      kind: "bookmarks",
      action: kind === "delete" || kind === "restore" ? kind : "update",
      ids: out.changed,
      by: clientId,
    });
    return { changed: out.changed.length };
  }),
});
