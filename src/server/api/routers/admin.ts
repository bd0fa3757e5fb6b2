import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { cleanQueue, pauseQueue, promoteJob, removeJob, resumeQueue, retryAllFailed, retryJob } from "~/server/admin/actions";
import { auditActions, listAudit } from "~/server/admin/audit";
import { jobDetail, listJobs, searchJobsByUser } from "~/server/admin/jobs";
import { limitedSubjects } from "~/server/admin/limited";
import { throttledQueueEvents } from "~/server/admin/queue-events";
import { overview } from "~/server/admin/queues";
import { listUsers, startSyncFor } from "~/server/admin/users";
import { workersOverview } from "~/server/admin/workers";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { readSystemStatus } from "~/server/fallback/status";
import { storageCompression } from "~/server/storage/compression";
import { redisKeys } from "~/server/sync/events";
import { syncModes } from "~/server/sync/queue";
import { JOB_STATES, QUEUE_NAMES, queueKeySchema } from "~/shared/queues";

/**
 * The admin console (issue 5): queues, jobs, workers and users, and the actions on them. Every
 * procedure is adminProcedure (FORBIDDEN for everyone else); every action is audit-logged.
 */
const queue = queueKeySchema;
const jobRef = z.object({ queue, jobId: z.string().trim().min(1).max(200) });
/** How often a live admin stream checks that its user is still an admin. */
const ROLE_RECHECK_MS = 60_000;
const paging = { offset: z.number().int().min(0).max(1_000_000).default(0), limit: z.number().int().min(1).max(100).default(25) };

export const adminRouter = createTRPCRouter({
  /** Per queue: counts by state, paused or not, jobs per minute over the last hour, oldest waiting job. */
  overview: adminProcedure.query(({ ctx }) => overview(ctx)),

  /**
   * One page of a queue's jobs in a state (default waiting), or, with `user` (an X handle, with or
   * without @, or a user id), that user's sync jobs, optionally in one state.
   */
  jobs: adminProcedure
    .input(z.object({ queue, state: z.enum(JOB_STATES).optional(), user: z.string().trim().min(1).max(100).optional(), ...paging }))
    .query(async ({ ctx, input }) => {
      if (input.user) return searchJobsByUser(ctx, { ...input, user: input.user });
      return { ...(await listJobs(ctx, { ...input, state: input.state ?? "waiting" })), matchedUsers: null };
    }),

  /** One job: summary, the worker's log lines, failure reason and stack, its sync run, its audit entries. */
  job: adminProcedure.input(jobRef).query(({ ctx, input }) => jobDetail(ctx, input)),

  retryJob: adminProcedure.input(jobRef).mutation(({ ctx, input }) => retryJob(ctx, ctx.admin, input)),
  retryAllFailed: adminProcedure.input(z.object({ queue })).mutation(({ ctx, input }) => retryAllFailed(ctx, ctx.admin, input)),
  removeJob: adminProcedure.input(jobRef).mutation(({ ctx, input }) => removeJob(ctx, ctx.admin, input)),
  promoteJob: adminProcedure.input(jobRef).mutation(({ ctx, input }) => promoteJob(ctx, ctx.admin, input)),
  pauseQueue: adminProcedure.input(z.object({ queue })).mutation(({ ctx, input }) => pauseQueue(ctx, ctx.admin, input)),
  resumeQueue: adminProcedure.input(z.object({ queue })).mutation(({ ctx, input }) => resumeQueue(ctx, ctx.admin, input)),
  /** Removes completed or failed jobs that finished more than `olderThanHours` ago. */
  cleanQueue: adminProcedure
    .input(
      z.object({
        queue,
        state: z.enum(["completed", "failed"]),
        olderThanHours: z
          .number()
          .min(0)
          .max(24 * 365),
        limit: z.number().int().min(1).max(100_000).default(10_000),
      }),
    )
    .mutation(({ ctx, input }) => cleanQueue(ctx, ctx.admin, input)),

  /** The audit log, newest first. */
  auditLog: adminProcedure
    .input(
      z
        .object({
          queue: queue.optional(),
          jobId: z.string().trim().min(1).max(200).optional(),
          action: z.enum(auditActions).optional(),
          ...paging,
        })
        .default({ offset: 0, limit: 25 }),
    )
    .query(({ ctx, input }) => listAudit(ctx.db, { ...input, queue: input.queue ? QUEUE_NAMES[input.queue] : undefined })),

  /** Workers, circuit breakers, users' X rate limits, job schedulers, Redis memory, Postgres connections. */
  workers: adminProcedure.query(({ ctx }) => workersOverview(ctx)),
  /** How the large JSON columns are stored (lz4 or pglz) and their on-disk ratio, from a sample. */
  storage: adminProcedure.query(({ ctx }) => storageCompression(ctx.db)),
  /** The fallback chain now: which parts answer and which fallbacks are in force. */
  systemStatus: adminProcedure.query(({ ctx }) => readSystemStatus(ctx)),

  /** Who the per-user and per-IP limits refused in the last 24 hours, most recent first. */
  limited: adminProcedure.query(({ ctx }) => limitedSubjects(ctx)),

  /** Users with library size, last sync and status; `query` matches handle, name or id. */
  users: adminProcedure
    .input(z.object({ query: z.string().trim().max(100).optional(), ...paging }).default({ offset: 0, limit: 25 }))
    .query(({ ctx, input }) => listUsers(ctx, input)),

  /** Starts a sync for a user (their open one is returned instead, as for their own Sync button). */
  startSync: adminProcedure
    .input(z.object({ userId: z.string().trim().min(1).max(100), mode: z.enum(syncModes).default("incremental") }))
    .mutation(({ ctx, input }) => startSyncFor(ctx, ctx.admin, input)),

  /**
   * Live queue events (BullMQ QueueEvents, shared by every admin socket of this process), in
   * batches at most 4 a second: first an empty batch once the stream is live, then what happened.
   */
  onQueueEvents: adminProcedure.input(z.object({ queue: queue.optional() }).optional()).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    // A socket outlives a revoked role: look again now and then, and at once when the user's
    // "sessions changed" event says the role changed (session-events.ts); then end FORBIDDEN.
    const stop = new AbortController();
    const outer = signal ?? new AbortController().signal;
    const onAbort = () => stop.abort();
    outer.addEventListener("abort", onAbort, { once: true });
    let revoked = false;
    const recheck = async () => {
      const user = await ctx.db.user.findUnique({ where: { id: ctx.admin.id }, select: { role: true } });
      if (user?.role !== "ADMIN") {
        revoked = true;
        stop.abort();
      }
    };
    const unsubscribe = await ctx.fanout.subscribe(redisKeys.sessionsChanged(ctx.admin.id), () => void recheck().catch(() => undefined));
    try {
      let checkedAt = Date.now();
      for await (const batch of throttledQueueEvents(ctx.queueEvents, stop.signal, { queue: input?.queue })) {
        if (Date.now() - checkedAt > ROLE_RECHECK_MS) {
          await recheck();
          checkedAt = Date.now();
        }
        if (revoked) break;
        yield batch;
      }
      if (revoked) throw new TRPCError({ code: "FORBIDDEN", message: "Admins only." });
    } finally {
      outer.removeEventListener("abort", onAbort);
      await unsubscribe();
    }
  }),
});
