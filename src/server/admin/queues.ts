import type { Queue } from "bullmq";
import type { WebServices } from "~/server/services";
import { JOB_STATES, QUEUE_KEYS, QUEUE_NAMES, type JobState, type QueueKey } from "~/shared/queues";
import { minuteSeries, type MinutePoint } from "./series";

/** What the admin console's logic uses from the web's services. */
export type AdminDeps = Pick<
  WebServices,
  "db" | "syncQueue" | "importQueue" | "maintenanceQueue" | "mediaQueue" | "redis" | "prefix" | "progress" | "queueCap" | "concurrency"
>;

// The queues differ in their job payloads only; the admin console treats them alike.
export type AnyQueue = Queue<unknown, unknown, string>;

export function queueOf(deps: AdminDeps, key: QueueKey): AnyQueue {
  return (key === "sync"
    ? deps.syncQueue
    : key === "import"
      ? deps.importQueue
      : key === "media"
        ? deps.mediaQueue
        : deps.maintenanceQueue) as unknown as AnyQueue;
}

export type JobCounts = Record<JobState, number>;

/**
 * Counts by state. BullMQ 6 keeps a paused queue's jobs where they are (no "paused" list, and
 * getJobCounts no longer takes "paused"), so while the queue is paused its waiting and prioritized
 * jobs are reported as paused: they are the ones that would run now but will not.
 */
export async function jobCounts(queue: AnyQueue): Promise<{ counts: JobCounts; isPaused: boolean }> {
  const [raw, isPaused] = await Promise.all([
    queue.getJobCounts("waiting", "prioritized", "active", "delayed", "completed", "failed"),
    queue.isPaused(),
  ]);
  const n = (k: string) => raw[k] ?? 0;
  const counts: JobCounts = {
    waiting: isPaused ? 0 : n("waiting"),
    prioritized: isPaused ? 0 : n("prioritized"),
    active: n("active"),
    delayed: n("delayed"),
    completed: n("completed"),
    failed: n("failed"),
    paused: isPaused ? n("waiting") + n("prioritized") : 0,
  };
  return { counts, isPaused };
}

/** The waiting job (plain or prioritized) that was added longest ago, among the first 1,000 of each. */
export async function oldestWaiting(
  deps: AdminDeps,
  queue: AnyQueue,
  now = Date.now(),
): Promise<{ jobId: string; since: Date; ageMs: number } | null> {
  const ids = await queue.getRanges(["wait", "prioritized"], 0, 999);
  if (ids.length === 0) return null;
  const pipeline = deps.redis.pipeline();
  for (const id of ids) pipeline.hget(queue.toKey(id), "timestamp");
  const answers = (await pipeline.exec()) ?? [];
  let jobId: string | null = null;
  let since = Infinity;
  for (const [i, [err, ts]] of answers.entries()) {
    const t = Number(ts);
    if (err || !ts || !Number.isFinite(t) || t >= since) continue;
    jobId = ids[i]!;
    since = t;
  }
  if (jobId === null) return null;
  return { jobId, since: new Date(since), ageMs: Math.max(0, now - since) };
}

export interface QueueOverview {
  key: QueueKey;
  /** The BullMQ queue's name (what the audit log records). */
  name: string;
  isPaused: boolean;
  counts: JobCounts;
  /** Completed and failed jobs per minute over the last hour, oldest first (60 points). */
  perMinute: MinutePoint[];
  lastHour: { completed: number; failed: number };
  oldestWaiting: { jobId: string; since: Date; ageMs: number } | null;
}

export async function queueOverview(deps: AdminDeps, key: QueueKey, now = Date.now()): Promise<QueueOverview> {
  const queue = queueOf(deps, key);
  const [{ counts, isPaused }, completed, failed, oldest] = await Promise.all([
    jobCounts(queue),
    queue.getMetrics("completed", 0, 59),
    queue.getMetrics("failed", 0, 59),
    oldestWaiting(deps, queue, now),
  ]);
  const perMinute = minuteSeries(completed, failed, now);
  return {
    key,
    name: QUEUE_NAMES[key],
    isPaused,
    counts,
    perMinute,
    lastHour: {
      completed: perMinute.reduce((s, p) => s + p.completed, 0),
      failed: perMinute.reduce((s, p) => s + p.failed, 0),
    },
    oldestWaiting: oldest,
  };
}

export async function overview(deps: AdminDeps, now = Date.now()) {
  return { at: new Date(now), queues: await Promise.all(QUEUE_KEYS.map((k) => queueOverview(deps, k, now))) };
}
