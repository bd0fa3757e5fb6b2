import { z } from "zod";
import { categoryNameSchema, colorSchema } from "~/lib/names";
import { libraryWrite } from "~/server/api/library-write";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { createCategory, deleteCategory, updateCategory } from "~/server/bookmarks/categories";
import { categoriesRead } from "~/server/library/reads";
import { serialId } from "~/shared/ids";

const categoryId = serialId;

export const categoriesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) =>
    ctx.cache.through(
      ctx.session.user.id,
      categoriesRead(() => ctx.reads.forUser(ctx.session.user.id), ctx.session.user.id),
    ),
  ),

  create: libraryWrite("categories", "create")
    .input(z.object({ name: categoryNameSchema, color: colorSchema }))
    .mutation(({ ctx, input }) => createCategory(ctx.db, ctx.session.user.id, input)),

  update: libraryWrite("categories", "update")
    .input(z.object({ id: categoryId, name: categoryNameSchema.optional(), color: colorSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const out = await updateCategory(ctx.db, ctx.session.user.id, input);
      ctx.changed({ ids: out.changed });
      return { changed: out.changed.length };
    }),

  delete: libraryWrite("categories", "delete")
    .input(z.object({ id: categoryId }))
    .mutation(async ({ ctx, input }) => {
      const out = await deleteCategory(ctx.db, ctx.session.user.id, input.id);
      ctx.changed({ ids: out.changed });
      return { changed: out.changed.length };
    }),
});
