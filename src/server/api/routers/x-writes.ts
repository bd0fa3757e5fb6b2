import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { requestXWrites, WriteScopeMissing, xWriteStatus, type XWriteActionName } from "~/server/x-writes/request";

const writeInput = z.object({
  bookmarkIds: z
    .array(z.string().regex(/^\d{1,19}$/, "Not a bookmark id."))
    .min(1, "Pick at least one bookmark.")
    .max(100, "Pick at most 100 bookmarks at a time."),
  /** The person confirmed this change to their X account (the app asks first; nothing is sent without it). */
  confirm: z.literal(true, { error: "Confirm the change to your bookmarks on X first." }),
});

const write = (action: XWriteActionName) =>
  protectedProcedure.input(writeInput).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    try {
      const out = await requestXWrites({ db: ctx.db, queue: ctx.xWriteQueue }, userId, input.bookmarkIds, action);
      return { queued: out.queued, skipped: out.skipped };
    } catch (e) {
      if (e instanceof WriteScopeMissing) throw new TRPCError({ code: "FORBIDDEN", message: e.message, cause: e });
      throw e;
    }
  });

/** Write-back: changes to the person's bookmarks on X itself (the library here keeps its bookmarks). */
export const xWritesRouter = createTRPCRouter({
  /** Whether write-back is allowed (`bookmark.write` granted), and the recent writes with their outcome. */
  status: protectedProcedure.query(({ ctx }) => xWriteStatus(ctx.db, ctx.session.user.id)),
  /** Removes the picked bookmarks on X (confirmed by the person). */
  remove: write("remove"),
  /** Bookmarks the picked posts on X again. */
  add: write("add"),
});
