import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { archiveStatus } from "~/server/media/archive";

export const mediaArchiveModes = ["ALL", "IMAGES", "OFF"] as const;

export const mediaRouter = createTRPCRouter({
  /** The media archive for this user's bookmarks: files by state, bytes stored, and the setting. */
  status: protectedProcedure.query(({ ctx }) => archiveStatus(ctx.db, ctx.session.user.id)),

  /** Keep everything, images only (no videos), or nothing; applies from the next archive job. */
  setMode: protectedProcedure.input(z.object({ mode: z.enum(mediaArchiveModes) })).mutation(async ({ ctx, input }) => {
    await ctx.db.user.update({ where: { id: ctx.session.user.id }, data: { mediaArchive: input.mode } });
    return { mode: input.mode };
  }),
});
