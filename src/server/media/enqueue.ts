import type { Db } from "~/server/db";
import { MEDIA_ARCHIVE_BATCH, type MediaArchiveQueue } from "~/server/sync/queue";
import { planArchive } from "./archive";

/**
 * Queues the archiving of these posts' media for the user (sync pages and imports call this).
 * The files are recorded as pending first, so the archive's progress never reads "done" while
 * jobs are still waiting (a sync says "complete" only after its pages are queued here).
 * Batches of MEDIA_ARCHIVE_BATCH posts; the user's archive setting and quota apply when a job runs.
 */
export async function enqueueMediaArchive(
  deps: { queue: MediaArchiveQueue; db: Db },
  userId: string,
  postIds: readonly string[],
): Promise<number> {
  const ids = [...new Set(postIds)];
  const plan = await planArchive(deps.db, userId, ids);
  if (!plan || plan.planned.length === 0) return 0;
  const jobs = [];
  for (let i = 0; i < ids.length; i += MEDIA_ARCHIVE_BATCH) {
    jobs.push({ name: "archive" as const, data: { userId, postIds: ids.slice(i, i + MEDIA_ARCHIVE_BATCH) } });
  }
  if (jobs.length > 0) await deps.queue.addBulk(jobs);
  return jobs.length;
}
