import { MEDIA_ARCHIVE_BATCH, type MediaArchiveQueue } from "~/server/sync/queue";

/**
 * Queues the archiving of these posts' media for the user (sync pages and imports call this).
 * Batches of MEDIA_ARCHIVE_BATCH posts; the user's archive setting and quota apply when a job runs.
 */
export async function enqueueMediaArchive(queue: MediaArchiveQueue, userId: string, postIds: readonly string[]): Promise<number> {
  const ids = [...new Set(postIds)];
  const jobs = [];
  for (let i = 0; i < ids.length; i += MEDIA_ARCHIVE_BATCH) {
    jobs.push({ name: "archive" as const, data: { userId, postIds: ids.slice(i, i + MEDIA_ARCHIVE_BATCH) } });
  }
  if (jobs.length > 0) await queue.addBulk(jobs);
  return jobs.length;
}
