import type { XDrain } from "~/generated/prisma/client";
import type { XDrainJobData, XWriteQueue } from "~/server/x-writes/queue";
import { requestXWrites } from "~/server/x-writes/request";
import { runSync, SyncWait, type JobControl, type SyncServices } from "./sync-job";

export interface XDrainServices extends SyncServices {
  xWriteQueue: XWriteQueue;
  /** How long to wait before looking again while the round's writes or media are pending (ms). */
  drainPollMs?: number;
}

/**
 * One step of a drain. A round is: a full sync (everything X lists is saved here, resumable from
 * its checkpoint), then the oldest `batchSize` bookmarks that sync saw on X and that are safely
 * stored here (post row, and no media still being archived) are queued for removal on X (the
 * paced x-bookmark-write jobs). The job then waits until those writes are done and starts the next
 * round. A round whose sync brings nothing new ends the drain. Paused drains do nothing.
 */
export async function runDrain(s: XDrainServices, data: XDrainJobData, job: JobControl): Promise<XDrain | null> {
  const { db } = s;
  let drain = await db.xDrain.findUnique({ where: { id: data.drainId } });
  if (!drain || drain.status !== "RUNNING") return drain;
  const pollMs = s.drainPollMs ?? 15_000;
  const later = () => new SyncWait(new Date(Date.now() + pollMs), "rate_limit");

  // The last round's removals go first: nothing new is read from X until they are done.
  const open = await db.xBookmarkWrite.count({ where: { drainId: drain.id, status: "QUEUED" } });
  if (open > 0) {
    await job.log(`drain ${drain.id}: ${open} removal(s) on X still queued; looking again shortly`);
    throw later();
  }

  if (!drain.syncRunId) {
    const run = await db.syncRun.create({ data: { userId: drain.userId, mode: "FULL", trigger: "MANUAL", status: "QUEUED" } });
    drain = await db.xDrain.update({ where: { id: drain.id }, data: { syncRunId: run.id } });
  }
  const run = await runSync(s, { userId: drain.userId, runId: drain.syncRunId!, mode: "full", trigger: "manual" }, job);
  if (!run || run.status !== "SUCCEEDED") {
    const error = run?.error ?? "The sync of this round did not finish.";
    return db.xDrain.update({ where: { id: drain.id }, data: { status: "FAILED", error, finishedAt: new Date() } });
  }
  if (drain.rounds > 0 && run.created === 0) {
    await job.log(`drain ${drain.id}: the sync brought nothing new; done after ${drain.rounds} round(s), ${drain.removed} removed on X`);
    return db.xDrain.update({ where: { id: drain.id }, data: { status: "DONE", syncRunId: null, finishedAt: new Date() } });
  }

  // Safely stored here: seen by this round's sync (so on X and saved), and when archiving is on,
  // none of its media still waiting to be downloaded.
  const user = await db.user.findUniqueOrThrow({ where: { id: drain.userId }, select: { mediaArchive: true } });
  const oldest = await db.bookmark.findMany({
    where: { userId: drain.userId, lastSeenRunId: run.id, removedOnXAt: null, deletedAt: null },
    orderBy: [{ sortKey: "asc" }, { id: "asc" }],
    take: drain.batchSize,
    select: { id: true, postId: true },
  });
  if (user.mediaArchive !== "OFF" && oldest.length > 0) {
    const pending = await db.mediaAsset.count({ where: { postId: { in: oldest.map((b) => b.postId) }, status: "pending" } });
    if (pending > 0) {
      await job.log(`drain ${drain.id}: ${pending} media file(s) of the next batch not archived yet; waiting`);
      throw later();
    }
  }
  if (oldest.length === 0) {
    return db.xDrain.update({ where: { id: drain.id }, data: { status: "DONE", syncRunId: null, finishedAt: new Date() } });
  }
  const out = await requestXWrites(
    { db, queue: s.xWriteQueue },
    drain.userId,
    oldest.map((b) => b.id.toString()),
    "remove",
    drain.id,
  );
  drain = await db.xDrain.update({
    where: { id: drain.id },
    data: { rounds: { increment: 1 }, removed: { increment: out.queued }, syncRunId: null },
  });
  await job.log(`drain ${drain.id}: round ${drain.rounds}: ${out.queued} oldest bookmark(s) queued for removal on X`);
  throw later();
}
