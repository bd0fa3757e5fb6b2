import { z } from "zod";
import { tagNameSchema } from "~/lib/names";
import { libraryWrite } from "~/server/api/library-write";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { createTag, deleteTag, mergeTags, renameTag } from "~/server/bookmarks/tags";
import { tagsRead } from "~/server/library/reads";
import { serialId } from "~/shared/ids";

const tagId = serialId;

export const tagsRouter = createTRPCRouter({
  /** Every tag with its count (for the filter list and autocomplete). */
  list: protectedProcedure.query(({ ctx }) =>
    ctx.cache.through(
      ctx.session.user.id,
      tagsRead(() => ctx.reads.forUser(ctx.session.user.id), ctx.session.user.id),
    ),
  ),

  create: libraryWrite("tags", "create")
    .input(z.object({ name: tagNameSchema }))
    .mutation(({ ctx, input }) => createTag(ctx.db, ctx.session.user.id, input.name)),

  rename: libraryWrite("tags", "rename")
    .input(z.object({ id: tagId, name: tagNameSchema }))
    .mutation(async ({ ctx, input }) => {
      const out = await renameTag(ctx.db, ctx.session.user.id, input.id, input.name);
      ctx.changed({ ids: out.changed });
      return { changed: out.changed.length };
    }),

  merge: libraryWrite("tags", "merge")
    .input(z.object({ sourceIds: z.array(tagId).min(1).max(100), targetId: tagId }))
    .mutation(async ({ ctx, input }) => {
      const out = await mergeTags(ctx.db, ctx.session.user.id, input.sourceIds, input.targetId);
      ctx.changed({ ids: out.changed });
      return { changed: out.changed.length };
    }),

  delete: libraryWrite("tags", "delete")
    .input(z.object({ id: tagId }))
    .mutation(async ({ ctx, input }) => {
      const out = await deleteTag(ctx.db, ctx.session.user.id, input.id);
      ctx.changed({ ids: out.changed });
      return { changed: out.changed.length };
    }),
});
