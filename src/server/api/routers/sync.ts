import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { channels, syncProgressEvent } from "~/server/sync/events";
import { phaseOf, progressEvent } from "~/server/sync/progress";
import { syncModes } from "~/server/sync/queue";
import { startSync } from "~/server/sync/start";
import { X_PROVIDER } from "~/server/x/tokens";

const runSummary = {
  id: true,
  mode: true,
  status: true,
  pages: true,
  fetched: true,
  created: true,
  updated: true,
  skipped: true,
  apiCalls: true,
  error: true,
  queuedAt: true,
  startedAt: true,
  finishedAt: true,
  durationMs: true,
} as const;

export const syncRouter = createTRPCRouter({
  /** Starts a sync, or returns the one already queued or running for this user. */
  start: protectedProcedure
    .input(z.object({ mode: z.enum(syncModes).default("incremental") }))
    .mutation(async ({ ctx, input }) => {
      const userId = ctx.session.user.id;
      const account = await ctx.db.account.findFirst({ where: { userId, provider: X_PROVIDER }, select: { needsReauthAt: true } });
      if (!account || account.needsReauthAt) {
        throw new TRPCError({ code: "PRECONDITION_FAILED", message: "Your X login has expired. Log in with X again to sync." });
      }
      try {
        const { run, created } = await startSync(ctx, userId, input.mode);
        return { runId: run.id, created, mode: input.mode };
      } catch (e) {
        if (e instanceof TRPCError) throw e;
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The sync queue is unavailable; try again in a moment.", cause: e });
      }
    }),

  /** The latest run, the open one if any, and whether X needs a fresh login. */
  status: protectedProcedure.query(async ({ ctx }) => {
    const userId = ctx.session.user.id;
    const [latest, lastSuccess, account, total] = await Promise.all([
      ctx.db.syncRun.findFirst({ where: { userId }, orderBy: { queuedAt: "desc" } }),
      ctx.db.syncRun.findFirst({ where: { userId, status: "SUCCEEDED" }, orderBy: { finishedAt: "desc" }, select: { finishedAt: true } }),
      ctx.db.account.findFirst({ where: { userId, provider: X_PROVIDER }, select: { needsReauthAt: true } }),
      ctx.db.bookmark.count({ where: { userId } }),
    ]);
    return {
      latest: latest ? progressEvent(latest, phaseOf(latest)) : null,
      lastSyncedAt: lastSuccess?.finishedAt ?? null,
      needsReauth: !account || account.needsReauthAt !== null,
      bookmarkCount: total,
    };
  }),

  history: protectedProcedure
    .input(z.object({ limit: z.number().int().min(1).max(50).default(10) }).default({ limit: 10 }))
    .query(({ ctx, input }) =>
      ctx.db.syncRun.findMany({
        where: { userId: ctx.session.user.id },
        orderBy: { queuedAt: "desc" },
        take: input.limit,
        select: runSummary,
      }),
    ),

  /**
   * Live progress of this user's syncs: first the latest run's state (so a tab that joins late
   * is in step at once), then every event the worker publishes, until the client unsubscribes.
   */
  onProgress: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const userId = ctx.session.user.id;
    const stream = await ctx.fanout.open(channels.syncProgress(userId), signal ?? new AbortController().signal);
    const latest = await ctx.db.syncRun.findFirst({ where: { userId }, orderBy: { queuedAt: "desc" } });
    if (latest) yield progressEvent(latest, phaseOf(latest));
    for await (const message of stream) {
      const event = syncProgressEvent.safeParse(JSON.parse(message));
      if (event.success && event.data.userId === userId) yield event.data;
    }
  }),
});
