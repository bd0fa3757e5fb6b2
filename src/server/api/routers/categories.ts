import { z } from "zod";
import { serialId } from "~/server/bookmarks/ids";
import { categoryNameSchema, colorSchema } from "~/lib/names";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { clientIdSchema } from "~/server/library/changes";
import { categoriesRead } from "~/server/library/reads";
import { createCategory, deleteCategory, updateCategory } from "~/server/bookmarks/categories";

const categoryId = serialId;

export const categoriesRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => ctx.cache.through(ctx.session.user.id, categoriesRead(ctx.db, ctx.session.user.id))),

  create: protectedProcedure.input(z.object({ name: categoryNameSchema, color: colorSchema, clientId: clientIdSchema.optional() })).mutation(async ({ ctx, input }) => {
    const out = await createCategory(ctx.db, ctx.session.user.id, input);
    await ctx.library.changed(ctx.session.user.id, { kind: "categories", action: "create", by: input.clientId });
    return out;
  }),

  update: protectedProcedure
    .input(z.object({ id: categoryId, name: categoryNameSchema.optional(), color: colorSchema.optional(), clientId: clientIdSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const out = await updateCategory(ctx.db, ctx.session.user.id, input);
      await ctx.library.changed(ctx.session.user.id, { kind: "categories", action: "update", ids: out.changed, by: input.clientId });
      return { changed: out.changed.length };
    }),

  delete: protectedProcedure.input(z.object({ id: categoryId, clientId: clientIdSchema.optional() })).mutation(async ({ ctx, input }) => {
    const out = await deleteCategory(ctx.db, ctx.session.user.id, input.id);
    await ctx.library.changed(ctx.session.user.id, { kind: "categories", action: "delete", ids: out.changed, by: input.clientId });
    return { changed: out.changed.length };
  }),
});
