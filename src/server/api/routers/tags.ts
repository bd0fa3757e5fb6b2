import { z } from "zod";
import { tagNameSchema } from "~/lib/names";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { createTag, deleteTag, listTags, mergeTags, renameTag } from "~/server/bookmarks/tags";

const tagId = z.number().int().positive();

export const tagsRouter = createTRPCRouter({
  /** Every tag with its count (for the filter list and autocomplete). */
  list: protectedProcedure.query(({ ctx }) => {
    const userId = ctx.session.user.id;
    return ctx.cache.read(userId, "tags.list", null, () => listTags(ctx.db, userId));
  }),

  create: protectedProcedure.input(z.object({ name: tagNameSchema })).mutation(async ({ ctx, input }) => {
    const out = await createTag(ctx.db, ctx.session.user.id, input.name);
    await ctx.cache.invalidate(ctx.session.user.id);
    return out;
  }),

  rename: protectedProcedure.input(z.object({ id: tagId, name: tagNameSchema })).mutation(async ({ ctx, input }) => {
    const out = await renameTag(ctx.db, ctx.session.user.id, input.id, input.name);
    await ctx.cache.invalidate(ctx.session.user.id);
    return { changed: out.changed.length };
  }),

  merge: protectedProcedure
    .input(z.object({ sourceIds: z.array(tagId).min(1).max(100), targetId: tagId }))
    .mutation(async ({ ctx, input }) => {
      const out = await mergeTags(ctx.db, ctx.session.user.id, input.sourceIds, input.targetId);
      await ctx.cache.invalidate(ctx.session.user.id);
      return { changed: out.changed.length };
    }),

  delete: protectedProcedure.input(z.object({ id: tagId })).mutation(async ({ ctx, input }) => {
    const out = await deleteTag(ctx.db, ctx.session.user.id, input.id);
    await ctx.cache.invalidate(ctx.session.user.id);
    return { changed: out.changed.length };
  }),
});
