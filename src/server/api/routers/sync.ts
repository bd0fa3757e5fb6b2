import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { consumeUserLimit, createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { userError } from "~/server/api/user-message";
import { channels, syncProgressEvent } from "~/server/sync/events";
import { FRESHNESS_CHOICES, nextScheduledSync } from "~/server/sync/freshness";
import { phaseOf, progressEvent } from "~/server/sync/progress";
import { syncModes } from "~/server/sync/queue";
import { FRESHNESS_SCHEDULER_ID } from "~/server/sync/queue";
import { runSummary } from "~/server/sync/run-summary";
import { QueueBusyError, startSync } from "~/server/sync/start";
import { X_PROVIDER } from "~/server/x/tokens";
import { jsonText } from "~/shared/json";
import { FINISHED_STATUSES } from "~/shared/sync";

/** A message on the progress channel; one that is not an event is skipped, not thrown. */
const progressMessage = jsonText(syncProgressEvent);

export const syncRouter = createTRPCRouter({
  /** Starts a sync, or returns the one already queued or running for this user. */
  start: protectedProcedure.input(z.object({ mode: z.enum(syncModes).default("incremental") })).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    await consumeUserLimit(ctx, "syncStarts", userId);
    const account = await ctx.db.account.findFirst({ where: { userId, provider: X_PROVIDER }, select: { needsReauthAt: true } });
    if (!account || account.needsReauthAt) {
      throw userError("PRECONDITION_FAILED", "loginExpired", "Your X login has expired. Log in with X again to sync.");
    }
    try {
      const { run, created } = await startSync(ctx, userId, input.mode);
      return { runId: run.id, created, mode: input.mode };
    } catch (e) {
      if (e instanceof TRPCError) throw e;
      if (e instanceof QueueBusyError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: e.message, cause: e });
      throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The sync queue is unavailable; try again in a moment.", cause: e });
    }
  }),

  /**
   * The latest run, the open one if any, the last finished run's figures (API calls, posts read,
   * cost, rate-limit waits), when the scheduler will next sync, and whether X needs a fresh login.
   */
  status: protectedProcedure.query(async ({ ctx }) => {
    const userId = ctx.session.user.id;
    const [latest, lastFinished, user, account, total, removed, scheduler] = await Promise.all([
      ctx.db.syncRun.findFirst({ where: { userId }, orderBy: { queuedAt: "desc" } }),
      ctx.db.syncRun.findFirst({
        where: { userId, status: { in: [...FINISHED_STATUSES] } },
        orderBy: { finishedAt: "desc" },
        select: runSummary,
      }),
      ctx.db.user.findUnique({ where: { id: userId }, select: { freshnessMinutes: true, lastSyncedAt: true } }),
      ctx.db.account.findFirst({ where: { userId, provider: X_PROVIDER }, select: { needsReauthAt: true } }),
      ctx.db.bookmark.count({ where: { userId } }),
      ctx.db.bookmark.count({ where: { userId, removedOnXAt: { not: null } } }),
      ctx.maintenanceQueue.getJobScheduler(FRESHNESS_SCHEDULER_ID).catch(() => undefined),
    ]);
    const freshness = { freshnessMinutes: user?.freshnessMinutes ?? null, lastSyncedAt: user?.lastSyncedAt ?? null };
    return {
      latest: latest ? progressEvent(latest, phaseOf(latest)) : null,
      lastRun: lastFinished,
      lastSyncedAt: freshness.lastSyncedAt,
      freshnessMinutes: freshness.freshnessMinutes,
      nextScheduledSyncAt: nextScheduledSync(freshness, scheduler?.next ?? null),
      needsReauth: !account || account.needsReauthAt !== null,
      bookmarkCount: total,
      removedOnXCount: removed,
    };
  }),

  /** How fresh the library is kept: a scheduled incremental sync after this many minutes, or off (null). */
  setFreshness: protectedProcedure
    .input(
      z.object({
        minutes: z.union([
          z.literal(null),
          z
            .number()
            .int()
            .refine((m) => (FRESHNESS_CHOICES as readonly number[]).includes(m), {
              message: `choose one of ${FRESHNESS_CHOICES.join(", ")} minutes, or off`,
            }),
        ]),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const user = await ctx.db.user.update({
        where: { id: ctx.session.user.id },
        data: { freshnessMinutes: input.minutes },
        select: { freshnessMinutes: true },
      });
      return user;
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
      const event = progressMessage.safeParse(message);
      if (event.success && event.data.userId === userId) yield event.data;
    }
  }),
});
