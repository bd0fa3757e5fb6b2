import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { listFolders } from "~/server/folders/save";

export const foldersRouter = createTRPCRouter({
  /** The person's X bookmark folders (as the last full sync read them), with their bookmark counts. */
  list: protectedProcedure.query(({ ctx }) => listFolders(ctx.db, ctx.session.user.id)),
});
