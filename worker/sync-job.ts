import { ExponentialBackoff, handleWhen, retry } from "cockatiel";
import type { SyncRun } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import type { SyncPhase } from "~/server/sync/events";
import { nextOrderBase, savePage } from "~/server/sync/ingest";
import { progressEvent, X_BOOKMARK_CAP, type ProgressExtras, type ProgressPublisher } from "~/server/sync/progress";
import type { SyncJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { XClient } from "~/server/x/client";
import type { XConfig } from "~/server/x/config";
import { XApiError, XAuthError } from "~/server/x/errors";
import { mapBookmarksPage } from "~/server/x/map";
import { getXAccess, refreshXAccess, type TokenDeps, type XAccess } from "~/server/x/tokens";

export interface SyncServices {
  db: Db;
  tokens: TokenDeps;
  x: Pick<XConfig, "apiUrl" | "timeoutMs" | "pageSize">;
  progress: ProgressPublisher;
  /** First delay when retrying a failed X request (full jitter, doubling, capped at 60 s). */
  retryBaseMs?: number;
}

/** What the job runner offers the sync: a log, and whether this is the last attempt. */
export interface JobControl {
  log(line: string): Promise<unknown> | void;
  isFinalAttempt: boolean;
}

/** The sync cannot succeed by retrying; the run is already marked FAILED with this message. */
export class SyncStopped extends Error {
  override name = "SyncStopped";
}

/** X's rate limit is spent: the job should be delayed until `resumeAt` (not failed). */
export class RateLimitWait extends Error {
  override name = "RateLimitWait";
  constructor(readonly resumeAt: Date) {
    super(`rate limited until ${resumeAt.toISOString()}`);
  }
}

const REQUEST_TRIES = 3;

/**
 * Runs (or resumes) one sync run: pages through the user's bookmarks from the run's checkpoint,
 * saving each page atomically with its checkpoint, and publishes progress as it goes.
 */
export async function runSync(s: SyncServices, data: SyncJobData, job: JobControl): Promise<SyncRun | null> {
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
  const publish = (phase: SyncPhase, extras?: ProgressExtras) =>
    progress.publish(progressEvent(run!, phase, { pageSize: s.x.pageSize, ...extras }));
  await job.log(
    run.pages > 0
      ? `resuming ${data.mode} sync after page ${run.pages} (${run.fetched} bookmarks so far)`
      : `starting ${data.mode} sync`,
  );
  await publish("fetching");

  let apiCalls = 0;
  const x = new XClient(s.x, () => void apiCalls++);
  const retryPolicy = retry(
    handleWhen((e) => e instanceof XApiError && e.transient),
    {
      maxAttempts: REQUEST_TRIES - 1,
      backoff: new ExponentialBackoff({ initialDelay: s.retryBaseMs ?? 2_000, maxDelay: 60_000 }),
    },
  );
  retryPolicy.onRetry((r) => {
    const reason = "error" in r ? r.error.message : "no answer";
    void job.log(`X request failed (${reason}); retrying in ${Math.round(r.delay)} ms`);
    void publish("retrying", { message: `X did not answer properly (${reason}); trying again`, resumeAt: new Date(Date.now() + r.delay) });
  });

  try {
    let access: XAccess = await getXAccess(s.tokens, data.userId);
    const fetchPage = (paginationToken: string | null) =>
      retryPolicy.execute(async () => {
        const request = () => x.getBookmarksPage(access.accessToken, access.xUserId, { maxResults: s.x.pageSize, paginationToken });
        try {
          return await request();
        } catch (e) {
          // 401: the access token expired or was revoked. Refresh once, then try again.
          if (!(e instanceof XApiError && e.kind === "unauthorized")) throw e;
          await job.log("access token refused by X; refreshing it");
          access = await refreshXAccess(s.tokens, data.userId, access.sealed);
          return request();
        }
      });

    let pending = fetchPage(run.nextToken);
    for (;;) {
      const page = await pending;
      const mapped = mapBookmarksPage(page.data);
      const nextToken = page.data.meta?.next_token ?? null;
      // A full sync reads the next page while this one is saved. An incremental sync does not:
      // it stops at the first page with nothing new, and a page read past it is paid for in vain.
      const ahead = data.mode === "full" && nextToken ? fetchPage(nextToken) : null;
      ahead?.catch(() => undefined); // its error surfaces when it is awaited
      const calls = apiCalls;
      apiCalls = 0;
      const saved = await savePage(db, run, mapped, { nextToken, apiCalls: calls, stopWhenAllKnown: data.mode === "incremental" });
      run = saved.run;
      if (mapped.skipped.length > 0) await job.log(`page ${run.pages}: skipped ${mapped.skipped.length} item(s) X could not serve`);
      if (saved.last) break;
      await publish("fetching", { hasNext: true });
      pending = ahead ?? fetchPage(run.nextToken);
    }
  } catch (e) {
    run = await db.syncRun.findUniqueOrThrow({ where: { id: run.id } });
    if (apiCalls > 0) run = await db.syncRun.update({ where: { id: run.id }, data: { apiCalls: { increment: apiCalls } } });
    throw await handleFailure(s, run, e, job, publish);
  }

  const summary = `Synced ${run.fetched} bookmark${run.fetched === 1 ? "" : "s"}: ${run.created} new, ${run.updated} updated${
    run.skipped ? `, ${run.skipped} unavailable on X` : ""
  }.`;
  await job.log(`${summary} ${run.pages} page(s), ${run.apiCalls} API call(s), ${run.durationMs} ms`);
  await publish("done", { message: summary, hasNext: false });
  return run;
}

async function startRun(db: Db, run: SyncRun): Promise<SyncRun> {
  if (run.orderBase !== null) {
    return db.syncRun.update({ where: { id: run.id }, data: { status: "RUNNING", error: null } });
  }
  const [orderBase, libraryCount] = await Promise.all([
    nextOrderBase(db, run.userId),
    db.bookmark.count({ where: { userId: run.userId } }),
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
function explain(e: unknown): { message: string; stop: boolean } {
  if (e instanceof XAuthError) {
    return e.kind === "revoked"
      ? { message: "Your X login has expired or was revoked. Log in with X again to keep syncing.", stop: true }
      : { message: `X could not renew the login right now: ${e.message}`, stop: false };
  }
  if (e instanceof XApiError) {
    switch (e.kind) {
      case "unauthorized":
        return { message: "X keeps refusing the login even after renewing it. Log in with X again.", stop: true };
      case "forbidden":
        return {
          message: `X refused access (${e.message}). X Bookmarker needs the tweet.read, users.read and bookmark.read permissions; log in again and allow them.`,
          stop: true,
        };
      case "usage_capped":
        return {
          message: `This app has reached X's ${e.problem?.period?.toLowerCase() ?? ""} usage cap. Waiting minutes will not help; syncing can continue when the cap resets.`.replace("  ", " "),
          stop: true,
        };
      case "bad_request":
      case "not_found":
        return { message: `X rejected the request: ${e.message}`, stop: true };
      default:
        return { message: `X is having trouble: ${e.message}`, stop: false };
    }
  }
  return { message: `Sync failed: ${(e as Error)?.message ?? String(e)}`, stop: false };
}

async function handleFailure(
  s: SyncServices,
  run: SyncRun,
  e: unknown,
  job: JobControl,
  publish: (phase: SyncPhase, extras?: ProgressExtras) => Promise<boolean>,
): Promise<Error> {
  if (e instanceof XApiError && e.kind === "rate_limited") {
    // Not a failure: come back when X's window resets (a little after, so the window is fresh).
    const resumeAt = new Date(Math.max(e.rateLimit?.resetAt.getTime() ?? 0, Date.now() + 1_000) + Math.random() * 1_000);
    await job.log(`rate limited by X; waiting until ${resumeAt.toISOString()}`);
    await publish("waiting_rate_limit", { message: "X's rate limit is reached; the sync continues by itself.", resumeAt });
    return new RateLimitWait(resumeAt);
  }
  const { message, stop } = explain(e);
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
    await s.progress.publish(progressEvent(updated, "failed", { message }));
    return stop ? new SyncStopped(message) : (e as Error);
  }
  await publish("retrying", { message: `${message} Trying again shortly.` });
  return e as Error;
}
