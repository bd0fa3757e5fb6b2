/**
 * Asking for writes to X: only for bookmarks the person picked and confirmed, only with the
 * `bookmark.write` permission granted. The bookmark here is never touched by the request: this is
 * about X's side (the job records the outcome on it once X answered).
 */
import type { Db } from "~/server/db";
import { X_SCOPES, X_WRITE_SCOPE } from "~/server/x/config";
import { X_PROVIDER } from "~/server/x/tokens";
import type { XWriteQueue } from "./queue";

export type XWriteActionName = "remove" | "add";

/** Bookmark ids are int8: a longer number names no bookmark (and must not reach the database). */
const INT8_MAX = 9_223_372_036_854_775_807n;

/** The person's X login lacks `bookmark.write`: they must log in with X again and allow it. */
export class WriteScopeMissing extends Error {
  override name = "WriteScopeMissing";
  constructor() {
    super("Changing your bookmarks on X needs your permission. Log in with X again and allow X Bookmarker to add and remove bookmarks.");
  }
}

export async function hasWriteScope(db: Db, userId: string): Promise<boolean> {
  const account = await db.account.findFirst({ where: { userId, provider: X_PROVIDER }, select: { scope: true, needsReauthAt: true } });
  if (!account || account.needsReauthAt) return false;
  return (account.scope ?? "").split(/[\s,]+/).includes(X_WRITE_SCOPE);
}

/**
 * Queues one write per picked bookmark: remove (bookmarks X still lists) or add back. A post with a
 * write already queued is skipped, so a double click queues nothing twice.
 */
export async function requestXWrites(
  deps: { db: Db; queue: XWriteQueue },
  userId: string,
  bookmarkIds: readonly string[],
  action: XWriteActionName,
  drainId?: string,
): Promise<{ queued: number; skipped: number; writeIds: string[] }> {
  const { db, queue } = deps;
  if (!(await hasWriteScope(db, userId))) throw new WriteScopeMissing();
  const bookmarks = await db.bookmark.findMany({
    where: {
      userId,
      id: { in: bookmarkIds.map((id) => BigInt(id)).filter((id) => id <= INT8_MAX) },
      deletedAt: null,
      ...(action === "remove" && { removedOnXAt: null }),
    },
    select: { postId: true },
  });
  const postIds = bookmarks.map((b) => b.postId);
  const open = await db.xBookmarkWrite.findMany({ where: { userId, postId: { in: postIds }, status: "QUEUED" }, select: { postId: true } });
  const busy = new Set(open.map((w) => w.postId));
  const todo = postIds.filter((p) => !busy.has(p));
  const rows = await db.xBookmarkWrite.createManyAndReturn({
    data: todo.map((postId) => ({
      userId,
      postId,
      action: action === "remove" ? ("REMOVE" as const) : ("ADD" as const),
      drainId: drainId ?? null,
    })),
    select: { id: true },
  });
  // Committed before queued, so the worker always finds its row.
  await queue.addBulk(rows.map((r) => ({ name: "write" as const, data: { userId, writeId: r.id }, opts: { jobId: r.id } })));
  return { queued: rows.length, skipped: bookmarkIds.length - rows.length, writeIds: rows.map((r) => r.id) };
}

/** The person's recent writes to X and whether write-back is allowed. */
export async function xWriteStatus(db: Db, userId: string) {
  const [writeScope, recent, pending] = await Promise.all([
    hasWriteScope(db, userId),
    db.xBookmarkWrite.findMany({
      where: { userId },
      orderBy: { createdAt: "desc" },
      take: 20,
      select: { id: true, postId: true, action: true, status: true, error: true, createdAt: true, doneAt: true },
    }),
    db.xBookmarkWrite.count({ where: { userId, status: "QUEUED" } }),
  ]);
  // What a log-in that grants write-back asks X for (the app's usual scopes and bookmark.write).
  return { writeScope, pending, recent, loginScope: [...X_SCOPES, X_WRITE_SCOPE].join(" ") };
}
