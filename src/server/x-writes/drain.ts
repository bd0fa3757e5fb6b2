/**
 * Starting, pausing, resuming and undoing a drain (see worker/x-drain-job.ts), and what the person
 * sees before and while it runs.
 */
import type { Db } from "~/server/db";
import type { XDrainQueue, XWriteQueue } from "./queue";
import { hasWriteScope, requestXWrites, WriteScopeMissing } from "./request";

/** X allows 50 bookmark writes per user per 15 minutes. */
export const X_WRITES_PER_WINDOW = 50;

export async function drainPreview(db: Db, userId: string) {
  const [here, onX, running] = await Promise.all([
    db.bookmark.count({ where: { userId, deletedAt: null } }),
    db.bookmark.count({ where: { userId, deletedAt: null, removedOnXAt: null } }),
    db.xDrain.findFirst({ where: { userId, status: { in: ["RUNNING", "PAUSED"] } }, orderBy: { createdAt: "desc" } }),
  ]);
  return { here, onX, writesPerWindow: X_WRITES_PER_WINDOW, running };
}

export async function startDrain(deps: { db: Db; drainQueue: XDrainQueue }, userId: string, batchSize: number) {
  const { db, drainQueue } = deps;
  if (!(await hasWriteScope(db, userId))) throw new WriteScopeMissing();
  const open = await db.xDrain.findFirst({ where: { userId, status: { in: ["RUNNING", "PAUSED"] } } });
  if (open) return open;
  const drain = await db.xDrain.create({ data: { userId, batchSize } });
  await drainQueue.add("drain", { userId, drainId: drain.id }, { jobId: `drain-${drain.id}` });
  return drain;
}

export async function pauseDrain(db: Db, userId: string, drainId: string) {
  await db.xDrain.updateMany({ where: { id: drainId, userId, status: "RUNNING" }, data: { status: "PAUSED" } });
  return db.xDrain.findFirst({ where: { id: drainId, userId } });
}

export async function resumeDrain(deps: { db: Db; drainQueue: XDrainQueue }, userId: string, drainId: string) {
  const r = await deps.db.xDrain.updateMany({ where: { id: drainId, userId, status: "PAUSED" }, data: { status: "RUNNING" } });
  // A paused drain's job ended; a new one continues where it stopped (its sync resumes from its checkpoint).
  if (r.count > 0) await deps.drainQueue.add("drain", { userId, drainId }, { jobId: `drain-${drainId}-${Date.now()}` });
  return deps.db.xDrain.findFirst({ where: { id: drainId, userId } });
}

/** The undo list: every post the drain removed on X, bookmarked on X again (paced like any write). */
export async function undoDrain(deps: { db: Db; queue: XWriteQueue }, userId: string, drainId: string) {
  const removed = await deps.db.xBookmarkWrite.findMany({
    where: { drainId, userId, action: "REMOVE", status: "DONE" },
    select: { postId: true },
  });
  const bookmarks = await deps.db.bookmark.findMany({
    where: { userId, postId: { in: removed.map((r) => r.postId) } },
    select: { id: true },
  });
  const ids = bookmarks.map((b) => b.id.toString());
  let queued = 0;
  for (let i = 0; i < ids.length; i += 500) queued += (await requestXWrites(deps, userId, ids.slice(i, i + 500), "add")).queued;
  return { queued };
}

export async function drainStatus(db: Db, userId: string, drainId: string) {
  const drain = await db.xDrain.findFirst({ where: { id: drainId, userId } });
  if (!drain) return null;
  const counts = await db.xBookmarkWrite.groupBy({ by: ["status"], where: { drainId }, _count: true });
  const by = Object.fromEntries(counts.map((c) => [c.status, c._count])) as Partial<Record<"QUEUED" | "DONE" | "FAILED", number>>;
  return { ...drain, removedOnX: by.DONE ?? 0, queued: by.QUEUED ?? 0, failed: by.FAILED ?? 0 };
}
