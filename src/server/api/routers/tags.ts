import { z } from "zod";
import { serialId } from "~/server/bookmarks/ids";
import { tagNameSchema } from "~/lib/names";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { clientIdSchema } from "~/server/library/changes";
import { tagsRead } from "~/server/library/reads";
import { createTag, deleteTag, mergeTags, renameTag } from "~/server/bookmarks/tags";

const tagId = serialId;

export const tagsRouter = createTRPCRouter({
  /** Every tag with its count (for the filter list and autocomplete). */
  list: protectedProcedure.query(({ ctx }) => ctx.cache.through(ctx.session.user.id, tagsRead(ctx.db, ctx.session.user.id))),

  create: protectedProcedure.input(z.object({ name: tagNameSchema, clientId: clientIdSchema.optional() })).mutation(async ({ ctx, input }) => {
    const out = await createTag(ctx.db, ctx.session.user.id, input.name);
    await ctx.library.changed(ctx.session.user.id, { kind: "tags", action: "create", by: input.clientId });
    return out;
  }),

  rename: protectedProcedure.input(z.object({ id: tagId, name: tagNameSchema, clientId: clientIdSchema.optional() })).mutation(async ({ ctx, input }) => {
    const out = await renameTag(ctx.db, ctx.session.user.id, input.id, input.name);
    await ctx.library.changed(ctx.session.user.id, { kind: "tags", action: "rename", ids: out.changed, by: input.clientId });
    return { changed: out.changed.length };
  }),

  merge: protectedProcedure
    .input(z.object({ sourceIds: z.array(tagId).min(1).max(100), targetId: tagId, clientId: clientIdSchema.optional() }))
    .mutation(async ({ ctx, input }) => {
      const out = await mergeTags(ctx.db, ctx.session.user.id, input.sourceIds, input.targetId);
      await ctx.library.changed(ctx.session.user.id, { kind: "tags", action: "merge", ids: out.changed, by: input.clientId });
      return { changed: out.changed.length };
    }),

  delete: protectedProcedure.input(z.object({ id: tagId, clientId: clientIdSchema.optional() })).mutation(async ({ ctx, input }) => {
    const out = await deleteTag(ctx.db, ctx.session.user.id, input.id);
    await ctx.library.changed(ctx.session.user.id, { kind: "tags", action: "delete", ids: out.changed, by: input.clientId });
    return { changed: out.changed.length };
  }),
});
