import type { XBookmarkWrite } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { XApiError, XAuthError } from "~/server/x/errors";
import type { XWriteJobData } from "~/server/x-writes/queue";
import { SyncStopped, SyncWait, type JobControl } from "./sync-job";
import { waitFor, XCaller, type XCallServices } from "./x-calls";

export interface XWriteServices extends XCallServices {
  db: Db;
  /** The bookmark's X state changed: refresh the person's library views. */
  libraryChanged?: (userId: string, counts: { created: number; updated: number }) => Promise<void>;
}

/** Words for the person, when X refuses for good. */
function refusal(e: unknown): string | null {
  if (e instanceof XAuthError && e.kind === "revoked") return "Your X login has expired or was revoked. Log in with X again.";
  if (!(e instanceof XApiError)) return null;
  switch (e.kind) {
    case "forbidden":
      return "X refused: this login lacks permission to change your bookmarks. Log in with X again and allow adding and removing bookmarks.";
    case "unauthorized":
      return "X keeps refusing the login even after renewing it. Log in with X again.";
    case "not_found":
      return "X no longer has this post.";
    case "bad_request":
      return `X rejected the request: ${e.message}`;
    case "usage_capped":
      return "This app has reached X's usage cap; try again when it resets.";
    default:
      return null;
  }
}

/**
 * Runs one write to X (remove or add back a bookmark) under the shared retry policy, breaker and
 * token refresh. X's rate limit (50 writes per 15 minutes) and the open circuit delay the job until
 * they pass (not an attempt); 5xx and timeouts fail the attempt (BullMQ retries with backoff). The
 * bookmark here stays: only `removedOnXAt` records X's side once X confirmed.
 */
export async function runXWrite(s: XWriteServices, data: XWriteJobData, job: JobControl): Promise<XBookmarkWrite | null> {
  const w = await s.db.xBookmarkWrite.findUnique({ where: { id: data.writeId } });
  if (!w || w.status !== "QUEUED") {
    await job.log(`write ${data.writeId} ${w ? `already ${w.status.toLowerCase()}` : "no longer exists"}; nothing to do`);
    return w;
  }
  const x = new XCaller(s, w.userId, { log: job.log, stopping: job.stopping });
  await s.db.xBookmarkWrite.update({ where: { id: w.id }, data: { attempts: { increment: 1 } } });
  try {
    const r = await x.run((client, access) =>
      w.action === "REMOVE"
        ? client.removeBookmark(access.accessToken, access.xUserId, w.postId)
        : client.addBookmark(access.accessToken, access.xUserId, w.postId),
    );
    const now = new Date();
    const [done] = await s.db.$transaction([
      s.db.xBookmarkWrite.update({ where: { id: w.id }, data: { status: "DONE", doneAt: now, error: null } }),
      s.db.bookmark.updateMany({
        where: { userId: w.userId, postId: w.postId },
        data: { removedOnXAt: r.data.data.bookmarked ? null : now },
      }),
    ]);
    await job.log(`${w.action === "REMOVE" ? "removed on X" : "bookmarked again on X"}: post ${w.postId}`);
    await s.libraryChanged?.(w.userId, { created: 0, updated: 1 }).catch(() => undefined);
    return done;
  } catch (e) {
    const wait = waitFor(s.breaker, e);
    if (wait) {
      await job.log(`${wait.message}; waiting until ${wait.resumeAt.toISOString()}`);
      throw new SyncWait(wait.resumeAt, wait.kind);
    }
    const message = refusal(e);
    if (message || job.isFinalAttempt) {
      const error = message ?? `X is having trouble: ${(e as Error).message}`;
      await s.db.xBookmarkWrite.update({ where: { id: w.id }, data: { status: "FAILED", error } });
      await job.log(`failed: ${error}`);
      if (message) throw new SyncStopped(error);
    }
    throw e;
  }
}
