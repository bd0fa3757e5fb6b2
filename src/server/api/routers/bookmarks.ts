import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { bookmarkEdit, bulkAction, bulkEdit, editBookmark } from "~/server/bookmarks/edit";
import { libraryFilter } from "~/server/bookmarks/filter";
import { countBookmarks, listBookmarks } from "~/server/bookmarks/list";
import { CURSOR_PATTERN } from "~/server/bookmarks/query";

/** Reads go through the user's library cache; every write invalidates it (see LibraryCache). */
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

  update: protectedProcedure.input(bookmarkEdit).mutation(async ({ ctx, input }) => {
    const out = await editBookmark(ctx.db, ctx.session.user.id, input);
    await ctx.cache.invalidate(ctx.session.user.id);
    return out;
  }),

  bulk: protectedProcedure.input(bulkAction).mutation(async ({ ctx, input }) => {
    const out = await bulkEdit(ctx.db, ctx.session.user.id, input);
    await ctx.cache.invalidate(ctx.session.user.id);
    return { changed: out.changed.length };
  }),
});
