import { Worker, type ConnectionOptions } from "bullmq";
import type { Logger } from "pino";
import sharp from "sharp";
import { archivePosts, giveUpPending, type ArchiveDeps, type ArchiveResult } from "~/server/media/archive";
import { MEDIA_ARCHIVE_QUEUE, mediaArchiveJobData, type MediaArchiveJobData } from "~/server/sync/queue";
import { workerName } from "~/server/sync/worker-name";

export interface MediaWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** Archive jobs at once per worker process: bounds parallel downloads (MEDIA_CONCURRENCY). */
  concurrency: number;
  deps: ArchiveDeps;
  logger?: Logger;
  workerId?: string;
  onJobEnd?: (result: ArchiveResult | null, durationMs: number) => void;
  /** Files were stored for the user's posts: their cached library pages show X's URLs (refresh). */
  archived?: (userId: string) => Promise<unknown>;
}

/**
 * The BullMQ worker for `media-archive`. Transient download failures fail the attempt after the
 * batch (BullMQ retries with exponential backoff, 5 attempts); the last attempt marks what is
 * still pending as failed, so progress always ends.
 */
export function createMediaWorker(o: MediaWorkerOptions): Worker<MediaArchiveJobData, ArchiveResult, "archive"> {
  // Thumbnails are made once per file: libvips' operation cache would only hold memory, and one
  // libvips thread per image keeps decoded pixels of parallel jobs from piling up (worker RSS).
  sharp.cache(false);
  sharp.concurrency(1);
  const worker = new Worker<MediaArchiveJobData, ArchiveResult, "archive">(
    MEDIA_ARCHIVE_QUEUE,
    async (job) => {
      const started = Date.now();
      const data = mediaArchiveJobData.parse(job.data);
      const result = await archivePosts(o.deps, data);
      await job
        .log(
          `planned ${result.planned}, stored ${result.stored}, reused ${result.reused}, failed ${result.failed}, skipped ${result.skipped}; ${result.bytesDownloaded} bytes downloaded, ${result.bytesStored} stored`,
        )
        .catch(() => 0);
      o.onJobEnd?.(result, Date.now() - started);
      if (result.stored + result.reused > 0) await o.archived?.(data.userId)?.catch(() => undefined);
      if (result.retryable.length > 0) {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (final) await giveUpPending(o.deps.db, data.postIds);
        throw new Error(`${result.retryable.length} file(s) to retry: ${result.retryable.slice(0, 3).join("; ")}`);
      }
      return result;
    },
    {
      connection: o.connection,
      prefix: o.prefix,
      concurrency: o.concurrency,
      name: o.workerId ? workerName(o.workerId, o.concurrency) : undefined,
    },
  );
  worker.on("error", (err) => o.logger?.error({ err }, "media worker error"));
  worker.on("failed", (job, err) => o.logger?.warn({ jobId: job?.id, err: err.message }, "media archive attempt failed"));
  return worker;
}
