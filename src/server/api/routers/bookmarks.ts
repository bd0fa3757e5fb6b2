import { z } from "zod";
import { listBookmarks } from "~/server/bookmarks/list";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";

export const bookmarksRouter = createTRPCRouter({
  list: protectedProcedure
    .input(
      z.object({
        cursor: z.string().regex(/^\d+:\d+$/, "not a valid page cursor").nullish(),
        limit: z.number().int().min(1).max(100).default(30),
      }),
    )
    .query(({ ctx, input }) => listBookmarks(ctx.db, ctx.session.user.id, input)),

  count: protectedProcedure.query(({ ctx }) => ctx.db.bookmark.count({ where: { userId: ctx.session.user.id } })),
});
