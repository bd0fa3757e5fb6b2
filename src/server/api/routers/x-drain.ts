import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { drainPreview, drainStatus, pauseDrain, resumeDrain, startDrain, undoDrain, X_WRITES_PER_WINDOW } from "~/server/x-writes/drain";
import { WriteScopeMissing } from "~/server/x-writes/request";

const drainId = z.object({ drainId: z.string().regex(/^\w{1,40}$/, "Not a drain id.") });
const confirmed = { confirm: z.literal(true, { error: "Confirm the change to your bookmarks on X first." }) };

function forbiddenWithoutScope<T>(p: Promise<T>): Promise<T> {
  return p.catch((e: unknown) => {
    if (e instanceof WriteScopeMissing) throw new TRPCError({ code: "FORBIDDEN", message: e.message, cause: e });
    throw e;
  });
}

/**
 * The drain: reach bookmarks older than X's newest 800 by saving everything here, removing the
 * oldest on X, and reading the next ones, round after round. It changes the person's X account,
 * so it starts only when confirmed, and every removal can be undone (re-bookmarked on X).
 */
export const xDrainRouter = createTRPCRouter({
  /** What a drain would do: bookmarks here, those still on X, X's write pace, and any drain open. */
  preview: protectedProcedure.query(({ ctx }) => drainPreview(ctx.db, ctx.session.user.id)),
  start: protectedProcedure
    .input(
      z.object({
        batchSize: z
          .number()
          .int()
          .min(1)
          .max(X_WRITES_PER_WINDOW * 4)
          .default(X_WRITES_PER_WINDOW),
        ...confirmed,
      }),
    )
    .mutation(({ ctx, input }) =>
      forbiddenWithoutScope(startDrain({ db: ctx.db, drainQueue: ctx.xDrainQueue }, ctx.session.user.id, input.batchSize)),
    ),
  status: protectedProcedure.input(drainId).query(({ ctx, input }) => drainStatus(ctx.db, ctx.session.user.id, input.drainId)),
  pause: protectedProcedure.input(drainId).mutation(({ ctx, input }) => pauseDrain(ctx.db, ctx.session.user.id, input.drainId)),
  resume: protectedProcedure
    .input(drainId)
    .mutation(({ ctx, input }) => resumeDrain({ db: ctx.db, drainQueue: ctx.xDrainQueue }, ctx.session.user.id, input.drainId)),
  /** Bookmarks every post the drain removed on X again. */
  undo: protectedProcedure
    .input(drainId.extend(confirmed))
    .mutation(({ ctx, input }) =>
      forbiddenWithoutScope(undoDrain({ db: ctx.db, queue: ctx.xWriteQueue }, ctx.session.user.id, input.drainId)),
    ),
});
