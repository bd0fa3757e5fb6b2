import { z } from "zod";
import { categoryNameSchema, colorSchema } from "~/lib/names";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { createCategory, deleteCategory, listCategories, updateCategory } from "~/server/bookmarks/categories";

const categoryId = z.number().int().positive();

export const categoriesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => {
    const userId = ctx.session.user.id;
    return ctx.cache.read(userId, "categories.list", null, () => listCategories(ctx.db, userId));
  }),

  create: protectedProcedure.input(z.object({ name: categoryNameSchema, color: colorSchema })).mutation(async ({ ctx, input }) => {
    const out = await createCategory(ctx.db, ctx.session.user.id, input);
    await ctx.cache.invalidate(ctx.session.user.id);
    return out;
  }),

  update: protectedProcedure
    .input(z.object({ id: categoryId, name: categoryNameSchema.optional(), color: colorSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const out = await updateCategory(ctx.db, ctx.session.user.id, input);
      await ctx.cache.invalidate(ctx.session.user.id);
      return { changed: out.changed.length };
    }),

  delete: protectedProcedure.input(z.object({ id: categoryId })).mutation(async ({ ctx, input }) => {
    const out = await deleteCategory(ctx.db, ctx.session.user.id, input.id);
    await ctx.cache.invalidate(ctx.session.user.id);
    return { changed: out.changed.length };
  }),
});
