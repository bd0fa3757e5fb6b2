import { ExponentialBackoff, handleWhen, retry, TaskCancelledError } from "cockatiel";
import type { SyncRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { saveFolders } from "~/server/folders/save";
import type { SyncPhase } from "~/server/sync/events";
import { nextOrderBase, savePage } from "~/server/sync/ingest";
import { progressEvent, X_BOOKMARK_CAP, type ProgressExtras, type ProgressPublisher } from "~/server/sync/progress";
import type { SyncJob } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { X_SCOPES, type XConfig } from "~/server/x/config";
import { XApiError, XAuthError } from "~/server/x/errors";
import { mapBookmarksPage } from "~/server/x/map";
import { X_PROVIDER } from "~/server/x/tokens";
import { isTransientDbError } from "./db-errors";
import { readFolders } from "./folder-sync";
import { waitFor, XCaller, type XCallServices } from "./x-calls";

export interface SyncServices extends XCallServices {
  db: Db;
  x: Pick<XConfig, "apiUrl" | "timeoutMs" | "pageSize">;
  progress: ProgressPublisher;
  /** Estimated price of one billable post read (see src/server/sync/cost.ts). */
  readPriceUsd: number;
  /**
   * A saved page changed the user's library: drop their cached library pages and tell their
   * sockets (a `sync` change with the page's counts; see src/server/library/changes.ts).
   */
  libraryChanged: (userId: string, page: { created: number; updated: number }) => Promise<void>;
  /**
   * A saved page's posts go to the media archive (enqueueMediaArchive); its failure is logged,
   * never fails the sync (the next sync queues them again).
   */
  archiveMedia?: (userId: string, postIds: string[]) => Promise<unknown>;
  /** First delay when retrying a failed database write (doubling, 3 tries). */
  dbRetryBaseMs?: number;
  /** A full sync also reads the person's X bookmark folders (default true). */
  folders?: boolean;
}

/** What the job runner offers the sync: a log, whether this is the last attempt, and a stop signal. */
export interface JobControl {
  log(line: string): Promise<unknown> | void;
  /** Which attempt of the job this is (for the log). */
  attempt?: { number: number; of: number };
  /** The job's progress after each saved page (BullMQ job progress: the admin page's live view). */
  progress?: (p: { pages: number; fetched: number; created: number; percent: number }) => Promise<unknown> | void;
  isFinalAttempt: boolean;
  /** Aborted when the worker is shutting down: finish the page in hand, checkpoint, return. */
  stopping?: AbortSignal;
}

/** The sync cannot succeed by retrying; the run is already marked FAILED with this message. */
export class SyncStopped extends Error {
  override name = "SyncStopped";
}

/** The job should wait (not fail) until `resumeAt`: X's rate limit, or the open circuit. */
export class SyncWait extends Error {
  override name = "SyncWait";
  constructor(
    readonly resumeAt: Date,
    readonly kind: "rate_limit" | "breaker",
  ) {
    super(`${kind === "rate_limit" ? "rate limited by X" : "X calls paused (circuit open)"} until ${resumeAt.toISOString()}`);
  }
}

/** The worker is shutting down; the run is checkpointed and its job should go back to the queue. */
export class SyncPaused extends Error {
  override name = "SyncPaused";
}

const DB_TRIES = 3;

/**
 * Runs (or resumes) one sync run: pages through the user's bookmarks from the run's checkpoint,
 * saving each page atomically with its checkpoint, and publishes progress as it goes.
 */
export async function runSync(s: SyncServices, data: SyncJob, job: JobControl): Promise<SyncRun | null> {
  const { db, progress } = s;
  let run = await db.syncRun.findUnique({ where: { id: data.runId } });
  if (!run) {
    await job.log(`sync run ${data.runId} no longer exists; nothing to do`);
    return null;
  }
  if (run.status === "SUCCEEDED" || run.status === "FAILED") {
    await job.log(`sync run already ${run.status.toLowerCase()}; nothing to do`);
    return run;
  }

  run = await startRun(db, run);
  // Progress goes out without holding up the sync (the publisher throttles to 4 a second).
  const publish = (phase: SyncPhase, extras?: ProgressExtras) =>
    void progress.publish(progressEvent(run!, phase, { pageSize: s.x.pageSize, ...extras }));
  await job.log(
    run.pages > 0
      ? `resuming ${data.mode} sync after page ${run.pages} (${run.fetched} bookmarks so far)`
      : `starting ${data.mode} ${data.trigger} sync`,
  );
  if (job.attempt && job.attempt.number > 1) await job.log(`attempt ${job.attempt.number} of ${job.attempt.of}`);
  publish("fetching");

  const x = new XCaller(s, data.userId, {
    log: job.log,
    stopping: job.stopping,
    onRetry: (reason, delay) =>
      publish("retrying", { message: `X did not answer properly (${reason}); trying again`, resumeAt: new Date(Date.now() + delay) }),
  });
  const dbRetry = retry(handleWhen(isTransientDbError), {
    maxAttempts: DB_TRIES - 1,
    backoff: new ExponentialBackoff({ initialDelay: s.dbRetryBaseMs ?? 200, maxDelay: 2_000 }),
  });
  dbRetry.onRetry((r) => void job.log(`database write failed (${"error" in r ? r.error.message : "?"}); retrying`));

  try {
    const fetchPage = (paginationToken: string | null) =>
      x.run((client, access) => client.getBookmarksPage(access.accessToken, access.xUserId, { maxResults: s.x.pageSize, paginationToken }));

    let pending = fetchPage(run.nextToken);
    for (;;) {
      const page = await pending;
      const mapped = mapBookmarksPage(page.data);
      const nextToken = page.data.meta?.next_token ?? null;
      // A full sync reads the next page while this one is saved. An incremental sync does not:
      // it stops at the first page with nothing new, and a page read past it is paid for in vain.
      const ahead = data.mode === "full" && nextToken && !job.stopping?.aborted ? fetchPage(nextToken) : null;
      ahead?.catch(() => undefined); // its error surfaces when it is awaited
      const calls = x.takeCalls();
      const current: SyncRun = run;
      const saved = await dbRetry.execute(() =>
        savePage(db, current, mapped, {
          nextToken,
          apiCalls: calls,
          stopWhenAllKnown: data.mode === "incremental",
          reconcileRemovals: data.mode === "full",
          readPriceUsd: s.readPriceUsd,
        }),
      );
      run = saved.run;
      // The page is committed whatever happens here; a stale cache would only outlive it until its TTL.
      await s
        .libraryChanged(data.userId, { created: saved.created, updated: saved.updated })
        .catch((e: unknown) => job.log(`could not invalidate the library cache / publish the change: ${String(e)}`));
      if (s.archiveMedia && mapped.posts.length > 0) {
        await s
          .archiveMedia(
            data.userId,
            mapped.posts.map((p) => p.id),
          )
          .catch((e: unknown) => job.log(`could not queue the page's media for the archive: ${String(e)}`));
      }
      if (mapped.skipped.length > 0) await job.log(`page ${run.pages}: skipped ${mapped.skipped.length} item(s) X could not serve`);
      await job.log(
        `page ${run.pages} saved: ${mapped.posts.length} bookmark(s), ${saved.created} new, ${saved.updated} updated (${run.fetched} so far)${
          saved.last ? (nextToken ? "; nothing new, stopping here" : "; last page") : ""
        }`,
      );
      void job.progress?.({
        pages: run.pages,
        fetched: run.fetched,
        created: run.created,
        percent: progressEvent(run, "fetching").percent,
      });
      if (saved.last) break;
      if (job.stopping?.aborted) throw new SyncPaused(`worker stopping; checkpointed after page ${run.pages}`);
      publish("fetching", { hasNext: true });
      pending = ahead ?? fetchPage(run.nextToken);
    }
  } catch (e) {
    run = await db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    const apiCalls = x.takeCalls();
    if (apiCalls > 0) run = await db.syncRun.update({ where: { id: run.id }, data: { apiCalls: { increment: apiCalls } } });
    throw await handleFailure(s, run, e, job);
  }

  // Folders are kept current by full syncs; a person's first sync reads them too, so they show at once.
  const firstSync = (await db.user.findUnique({ where: { id: data.userId }, select: { lastSyncedAt: true } }))?.lastSyncedAt === null;
  if ((data.mode === "full" || firstSync) && s.folders !== false) await syncFolders(s, data.userId, x, job);
  await db.user.update({ where: { id: data.userId }, data: { lastSyncedAt: run.finishedAt ?? new Date() } });
  const summary = `Synced ${run.fetched} bookmark${run.fetched === 1 ? "" : "s"}: ${run.created} new, ${run.updated} updated${
    run.removed ? `, ${run.removed} removed on X` : ""
  }${run.skipped ? `, ${run.skipped} unavailable on X` : ""}.`;
  await job.log(
    `${summary} ${run.pages} page(s), ${run.apiCalls} API call(s), ${run.postsRead} posts read, ~$${run.estimatedCostUsd.toFixed(3)}, ${run.durationMs} ms`,
  );
  await progress.publish(progressEvent(run, "done", { message: summary, hasNext: false }));
  return run;
}

/**
 * After a full sync's bookmarks are saved: the person's X folders and their membership. Never
 * fails the sync (its bookmarks are already committed): a folder X would not serve now keeps what
 * the last sync read, and the next full sync tries again.
 */
async function syncFolders(s: SyncServices, userId: string, x: XCaller, job: JobControl): Promise<void> {
  try {
    const read = await readFolders(x, job.log);
    const calls = x.takeCalls();
    const saved = await saveFolders(s.db, userId, read.folders, read.listComplete);
    await job.log(
      `folders: ${saved.folders} read (${calls} API call(s)), ${saved.members} bookmark(s) in them, ${saved.missing} listed id(s) not in the library${
        saved.removedFolders ? `, ${saved.removedFolders} gone on X` : ""
      }${read.folders.some((f) => !f.complete) ? "; some folders only partly readable on X" : ""}`,
    );
    if (saved.folders > 0 || saved.removedFolders > 0) {
      await s.libraryChanged(userId, { created: 0, updated: 0 }).catch(() => undefined);
    }
  } catch (e) {
    x.takeCalls();
    await job.log(`folders not refreshed: ${(e as Error).message}`);
  }
}

async function startRun(db: Db, run: SyncRun): Promise<SyncRun> {
  if (run.orderBase !== null) {
    return db.syncRun.update({ where: { id: run.id }, data: { status: "RUNNING", error: null, waitingUntil: null, waitKind: null } });
  }
  const [orderBase, libraryCount] = await Promise.all([
    nextOrderBase(db, run.userId),
    db.bookmark.count({ where: { userId: run.userId, removedOnXAt: null } }),
  ]);
  return db.syncRun.update({
    where: { id: run.id },
    data: {
      status: "RUNNING",
      startedAt: run.startedAt ?? new Date(),
      orderBase,
      estimatedTotal: run.mode === "FULL" ? Math.min(X_BOOKMARK_CAP, libraryCount || X_BOOKMARK_CAP) : null,
    },
  });
}

/** Words for the person reading the sync panel. */
function explain(e: unknown, grantedScopes: string[] | null): { message: string; stop: boolean } {
  if (e instanceof XAuthError) {
    return e.kind === "revoked"
      ? { message: "Your X login has expired or was revoked. Log in with X again to keep syncing.", stop: true }
      : { message: `X could not renew the login right now: ${e.message}`, stop: false };
  }
  if (e instanceof XApiError) {
    switch (e.kind) {
      case "unauthorized":
        return { message: "X keeps refusing the login even after renewing it. Log in with X again.", stop: true };
      case "forbidden": {
        const needed = X_SCOPES.filter((sc) => sc !== "offline.access");
        const missing = grantedScopes ? needed.filter((sc) => !grantedScopes.includes(sc)) : [];
        return {
          message: missing.length
            ? `X refused access: this login lacks the ${missing.join(", ")} permission${missing.length > 1 ? "s" : ""}. Log in with X again and allow ${missing.length > 1 ? "them" : "it"}.`
            : `X refused access (${e.message}). X Bookmarker needs the ${needed.join(", ")} permissions; log in with X again and allow them.`,
          stop: true,
        };
      }
      case "usage_capped": {
        const period = typeof e.problem?.period === "string" ? `${e.problem.period.toLowerCase()} ` : "";
        return {
          message: `This app has reached X's ${period}usage cap. Waiting minutes will not help; syncing can continue when the cap resets.`,
          stop: true,
        };
      }
      case "bad_request":
      case "not_found":
        return { message: `X rejected the request: ${e.message}`, stop: true };
      default:
        return { message: `X is having trouble: ${e.message}`, stop: false };
    }
  }
  if (isTransientDbError(e)) return { message: "The database did not answer; the sync will try again.", stop: false };
  return { message: `Sync failed: ${(e as Error)?.message ?? String(e)}`, stop: false };
}

async function handleFailure(s: SyncServices, run: SyncRun, e: unknown, job: JobControl): Promise<Error> {
  const publish = (r: SyncRun, phase: SyncPhase, extras?: ProgressExtras) => s.progress.publish(progressEvent(r, phase, extras));
  // Shutting down, the retry policy gives up on a transient X failure instead of retrying it (it
  // retries only while the stop signal is not aborted). That page was not saved, so this is a
  // pause like any other: not a failed attempt, and never the run's final failure.
  const stoppedMidRetry = job.stopping?.aborted === true && e instanceof XApiError && e.transient;
  if (e instanceof SyncPaused || e instanceof TaskCancelledError || stoppedMidRetry) {
    await job.log(`worker stopping: sync checkpointed after page ${run.pages}; it continues on the next worker`);
    const queued = await s.db.syncRun.update({ where: { id: run.id }, data: { status: "QUEUED" } });
    await publish(queued, "queued", { message: "The worker restarted; the sync continues in a moment." });
    return new SyncPaused(e.message);
  }
  const wait = waitFor(s.breaker, e);
  if (wait) {
    // Not a failure: come back later, from the checkpoint, without holding a worker slot.
    const waitMs = Math.max(0, wait.resumeAt.getTime() - Date.now());
    const rateLimited = wait.kind === "rate_limit";
    await job.log(`${wait.message}; waiting until ${wait.resumeAt.toISOString()}`);
    const waiting = await s.db.syncRun.update({
      where: { id: run.id },
      data: {
        waitingUntil: wait.resumeAt,
        waitKind: wait.kind,
        ...(rateLimited && { rateLimitWaitMs: { increment: waitMs } }),
      },
    });
    await publish(waiting, rateLimited ? "waiting_rate_limit" : "retrying", {
      message: rateLimited
        ? "X's rate limit is reached; the sync continues by itself."
        : "X is failing right now; the sync pauses and continues by itself.",
      resumeAt: wait.resumeAt,
    });
    return new SyncWait(wait.resumeAt, wait.kind);
  }

  let granted: string[] | null = null;
  if (e instanceof XApiError && e.kind === "forbidden") {
    const account = await s.db.account.findFirst({ where: { userId: run.userId, provider: X_PROVIDER }, select: { scope: true } });
    granted = account?.scope?.split(/[\s,]+/).filter(Boolean) ?? null;
  }
  const { message, stop } = explain(e, granted);
  const final = stop || job.isFinalAttempt;
  await job.log(`${final ? "failed" : "attempt failed"}: ${message}`);
  const updated = await s.db.syncRun.update({
    where: { id: run.id },
    data: {
      errors: appendRunErrors(run.errors, [{ kind: final ? "failed" : "attempt_failed", message }]),
      ...(final && { status: "FAILED", error: message, finishedAt: new Date() }),
    },
  });
  if (final) {
    await publish(updated, "failed", { message });
    return stop ? new SyncStopped(message) : (e as Error);
  }
  await publish(updated, "retrying", { message: `${message} Trying again shortly.` });
  return e as Error;
}
