import { TRPCError } from "@trpc/server";
import type { Job } from "bullmq";
import type { SyncRun, SyncStatus } from "~/generated/prisma/client";
import type { SyncPhase } from "~/server/sync/events";
import { phaseOf, progressEvent } from "~/server/sync/progress";
import { syncJobData, type SyncModeName, type SyncTriggerName } from "~/server/sync/queue";
import { runSummary } from "~/server/sync/run-summary";
import { parseWorkerName } from "~/server/sync/worker-name";
import type { JobState, QueueKey } from "~/shared/queues";
import { listAudit } from "./audit";
import { jobCounts, queueOf, type AdminDeps, type AnyQueue } from "./queues";

export type AnyJob = Job<unknown, unknown, string>;
export type JobStateOrOther = JobState | "waiting-children" | "unknown";

/** A job as the console lists it: who, what, where it stands. Never the job's raw data or options. */
export interface JobSummary {
  id: string;
  queue: QueueKey;
  /** The job's name ("sync", "freshness-scan"). */
  name: string;
  state: JobStateOrOther;
  user: { id: string; handle: string | null; name: string | null } | null;
  mode: SyncModeName | null;
  trigger: SyncTriggerName | null;
  runId: string | null;
  /** From the sync run the job works on (the source of truth for a sync's progress). */
  progress: {
    runStatus: SyncStatus;
    phase: SyncPhase;
    percent: number;
    pages: number;
    fetched: number;
    estimatedTotal: number | null;
  } | null;
  attempts: { made: number; started: number; max: number };
  priority: number;
  createdAt: Date;
  processedAt: Date | null;
  finishedAt: Date | null;
  /** Delayed jobs: when they become ready to run. */
  delayedUntil: Date | null;
  failedReason: string | null;
}

/** The sync run's figures shown with a job (the checkpoint's X pagination cursor is left out). */
const runDetailSelect = {
  ...runSummary,
  userId: true,
  jobId: true,
  estimatedTotal: true,
  position: true,
  waitingUntil: true,
  waitKind: true,
  errors: true,
} as const;

function syncData(key: QueueKey, job: AnyJob) {
  if (key !== "sync") return null;
  const parsed = syncJobData.safeParse(job.data);
  return parsed.success ? parsed.data : null;
}

/** Turns BullMQ jobs into summaries: their users and sync runs are loaded in two queries. */
export async function summarize(
  deps: AdminDeps,
  key: QueueKey,
  jobs: AnyJob[],
  states: (JobStateOrOther | undefined)[],
  isPaused: boolean,
): Promise<JobSummary[]> {
  const data = jobs.map((j) => syncData(key, j));
  const userIds = [...new Set(data.flatMap((d) => (d ? [d.userId] : [])))];
  const runIds = [...new Set(data.flatMap((d) => (d ? [d.runId] : [])))];
  const [users, runs, delayedScores] = await Promise.all([
    userIds.length ? deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, handle: true, name: true } }) : [],
    runIds.length ? deps.db.syncRun.findMany({ where: { id: { in: runIds } } }) : [],
    delayedUntil(deps, queueOf(deps, key), jobs, states),
  ]);
  const userById = new Map(users.map((u) => [u.id, u]));
  const runById = new Map(runs.map((r) => [r.id, r]));
  return jobs.map((job, i) => {
    const d = data[i];
    const run = d ? runById.get(d.runId) : undefined;
    let state: JobStateOrOther = states[i] ?? "unknown";
    if (isPaused && (state === "waiting" || state === "prioritized")) state = "paused";
    return {
      id: job.id ?? "",
      queue: key,
      name: job.name,
      state,
      user: d ? (userById.get(d.userId) ?? { id: d.userId, handle: null, name: null }) : null,
      mode: d?.mode ?? null,
      trigger: d?.trigger ?? null,
      runId: d?.runId ?? null,
      progress: run ? runProgress(run) : null,
      attempts: { made: job.attemptsMade, started: job.attemptsStarted ?? 0, max: job.opts.attempts ?? 1 },
      priority: job.priority ?? 0,
      createdAt: new Date(job.timestamp),
      processedAt: job.processedOn ? new Date(job.processedOn) : null,
      finishedAt: job.finishedOn ? new Date(job.finishedOn) : null,
      delayedUntil: delayedScores[i] ?? null,
      failedReason: job.failedReason || null,
    };
  });
}

function runProgress(run: SyncRun): NonNullable<JobSummary["progress"]> {
  const phase = phaseOf(run);
  const p = progressEvent(run, phase);
  return { runStatus: run.status, phase, percent: p.percent, pages: run.pages, fetched: run.fetched, estimatedTotal: p.estimatedTotal };
}

/** Delayed jobs' due times: the delayed set's score is the due time in ms, times 4096 (plus a tiebreak). */
async function delayedUntil(
  deps: AdminDeps,
  queue: AnyQueue,
  jobs: AnyJob[],
  states: (JobStateOrOther | undefined)[],
): Promise<(Date | null)[]> {
  const wanted = jobs.map((j, i) => (states[i] === "delayed" && j.id ? j.id : null));
  if (!wanted.some(Boolean)) return jobs.map(() => null);
  const pipeline = deps.redis.pipeline();
  for (const id of wanted) if (id) pipeline.zscore(queue.keys.delayed!, id);
  const answers = (await pipeline.exec()) ?? [];
  let k = 0;
  return wanted.map((id) => {
    if (!id) return null;
    const [err, score] = answers[k++] ?? [null, null];
    const n = Number(score);
    return err || score === null || !Number.isFinite(n) ? null : new Date(Math.floor(n / 0x1000));
  });
}

/** BullMQ's order for each list: the next to run first; finished jobs newest first. */
const ASCENDING: Record<JobState, boolean> = {
  waiting: true,
  prioritized: true,
  paused: true,
  delayed: true,
  active: false,
  completed: false,
  failed: false,
};

/** One page of a queue's jobs in one state. */
export async function listJobs(deps: AdminDeps, q: { queue: QueueKey; state: JobState; offset: number; limit: number }) {
  const queue = queueOf(deps, q.queue);
  const { counts, isPaused } = await jobCounts(queue);
  const end = q.offset + q.limit - 1;
  let jobs: AnyJob[];
  if (q.state === "paused") {
    // A paused queue's jobs stay in its wait list and prioritized set: page across both.
    const inWait = isPaused ? await queue.getJobCountByTypes("wait") : 0;
    jobs = [];
    if (isPaused && q.offset < inWait) jobs.push(...(await queue.getJobs(["wait"], q.offset, Math.min(end, inWait - 1), true)));
    if (isPaused && end >= inWait) {
      jobs.push(...(await queue.getJobs(["prioritized"], Math.max(0, q.offset - inWait), end - inWait, true)));
    }
  } else if ((q.state === "waiting" || q.state === "prioritized") && isPaused) {
    jobs = []; // listed as paused
  } else {
    jobs = await queue.getJobs([q.state], q.offset, end, ASCENDING[q.state]);
  }
  const states: JobStateOrOther[] = await Promise.all(
    jobs.map(async (j) => (q.state === "paused" ? ((await j.getState()) as JobStateOrOther) : q.state)),
  );
  return {
    items: await summarize(deps, q.queue, jobs, states, isPaused),
    total: counts[q.state],
    offset: q.offset,
    limit: q.limit,
  };
}

/** How many of a user's latest sync runs the search looks at. */
const USER_SEARCH_RUNS = 300;

/** Finds users by X handle (with or without @, any case) or by user id. */
export async function findUsers(deps: AdminDeps, term: string) {
  const t = term.trim();
  const handle = t.replace(/^@/, "");
  return deps.db.user.findMany({
    where: { OR: [{ id: t }, { handle: { equals: handle, mode: "insensitive" } }] },
    select: { id: true, handle: true, name: true },
    take: 20,
  });
}

/**
 * A user's sync jobs, newest first: found through their sync runs (a sync job's id is its run's
 * id), so no scan of the queue is needed. Optionally only those in one state.
 */
export async function searchJobsByUser(
  deps: AdminDeps,
  q: { queue: QueueKey; user: string; state?: JobState; offset: number; limit: number },
) {
  if (q.queue !== "sync") {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Only sync jobs belong to a user; search the sync queue." });
  }
  const queue = queueOf(deps, q.queue);
  const users = await findUsers(deps, q.user);
  const matchedUsers = users.map((u) => ({ id: u.id, handle: u.handle, name: u.name }));
  if (users.length === 0) return { items: [], total: 0, offset: q.offset, limit: q.limit, matchedUsers };
  const [runs, isPaused] = await Promise.all([
    deps.db.syncRun.findMany({
      where: { userId: { in: users.map((u) => u.id) } },
      orderBy: { queuedAt: "desc" },
      take: USER_SEARCH_RUNS,
      select: { id: true, jobId: true },
    }),
    queue.isPaused(),
  ]);
  const found = await Promise.all(
    runs.map(async (r) => {
      const job = await queue.getJob(r.jobId ?? r.id);
      if (!job) return null; // removed from the queue (cleaned, or kept history ran out)
      let state = (await job.getState()) as JobStateOrOther;
      if (isPaused && (state === "waiting" || state === "prioritized")) state = "paused";
      return { job, state };
    }),
  );
  const matching = found.filter((f): f is NonNullable<typeof f> => f !== null && (!q.state || f.state === q.state));
  const page = matching.slice(q.offset, q.offset + q.limit);
  return {
    items: await summarize(
      deps,
      q.queue,
      page.map((p) => p.job),
      page.map((p) => p.state),
      isPaused,
    ),
    total: matching.length,
    offset: q.offset,
    limit: q.limit,
    matchedUsers,
  };
}

/** How many log lines a job detail carries (a sync writes about a dozen). */
const LOG_LINES = 1_000;

export async function getJobOrThrow(deps: AdminDeps, key: QueueKey, jobId: string): Promise<AnyJob> {
  const job = await queueOf(deps, key).getJob(jobId);
  if (!job)
    throw new TRPCError({
      code: "NOT_FOUND",
      message: `There is no job ${jobId} in the ${key} queue (it may have been removed or cleaned).`,
    });
  return job;
}

/** Everything about one job: its summary, the worker's log lines, the failure, and the run it produced. */
export async function jobDetail(deps: AdminDeps, q: { queue: QueueKey; jobId: string }) {
  const queue = queueOf(deps, q.queue);
  const job = await getJobOrThrow(deps, q.queue, q.jobId);
  const data = syncData(q.queue, job);
  const [state, isPaused, logs, run, audit] = await Promise.all([
    job.getState() as Promise<JobStateOrOther>,
    queue.isPaused(),
    queue.getJobLogs(q.jobId, 0, LOG_LINES - 1, true),
    data ? deps.db.syncRun.findUnique({ where: { id: data.runId }, select: runDetailSelect }) : null,
    listAudit(deps.db, { jobId: q.jobId, queue: queue.name, offset: 0, limit: 20 }),
  ]);
  const [summary] = await summarize(deps, q.queue, [job], [state], isPaused);
  return {
    ...summary!,
    processedBy: job.processedBy ? parseWorkerName(`:w:${job.processedBy}`).workerId : null,
    logs: { lines: logs.logs, total: logs.count, truncated: logs.count > logs.logs.length },
    stacktrace: job.stacktrace ?? [],
    returnValue: (job.returnvalue ?? null) as unknown,
    run,
    audit: audit.items,
  };
}
