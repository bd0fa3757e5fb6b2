import { TaskCancelledError } from "cockatiel";
import type { Redis } from "ioredis";
import type { Import } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { exporterPost, exporterRows } from "~/server/import/exporter";
import { importOrderFloor, postTimeFromId, saveImportBatch, stagedItems, type ImportBatch, type StagedItem } from "~/server/import/ingest";
import { importProgressEvent } from "~/server/import/progress";
import { LOOKUP_BATCH } from "~/server/import/stage";
import { channels, type SyncPhase } from "~/server/sync/events";
import { bookmarkRow } from "~/server/sync/ingest";
import type { ImportJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { XApiError, XAuthError } from "~/server/x/errors";
import { mapBookmarksPage, type AuthorRow, type PostRow } from "~/server/x/map";
import type { JobControl } from "./sync-job";
import { SyncPaused, SyncStopped, SyncWait } from "./sync-job";
import { waitFor, XCaller, type XCallServices } from "./x-calls";

export interface ImportServices extends XCallServices {
  db: Db;
  /** Publishes progress on the user's import channel. */
  redis: Redis;
  readPriceUsd: number;
  /** A saved batch changed the user's library (cache and sockets; see library/changes.ts). */
  libraryChanged: (userId: string, counts: { created: number; updated: number }) => Promise<void>;
  /**
   * A saved batch's new bookmarks go to the media archive (enqueueMediaArchive), as a sync's
   * pages do; its failure is logged, never fails the import.
   */
  archiveMedia?: (userId: string, postIds: string[]) => Promise<unknown>;
}

/** Items read per batch when nothing needs fetching (exporter files, ids already stored). */
const SCAN = 1_000;
/**
 * Items read per batch of an archive: a batch ends at its 100th id to fetch, so reading a whole
 * SCAN when most ids are new read (and joined) ten times what it used.
 */
const ARCHIVE_SCAN = 250;

/**
 * Runs (or resumes) one import from its checkpoint: batch by batch, each saved with its
 * checkpoint in one statement. An archive's unknown ids are fetched with GET /2/tweets, 100 per
 * call; an exporter file's posts are saved as they are (no API call) where no one stored them.
 */
export async function runImport(s: ImportServices, data: ImportJobData, job: JobControl): Promise<Import | null> {
  const { db } = s;
  let imp = await db.import.findUnique({ where: { id: data.importId } });
  if (!imp || imp.userId !== data.userId) {
    await job.log(`import ${data.importId} no longer exists; nothing to do`);
    return null;
  }
  if (imp.status === "SUCCEEDED" || imp.status === "FAILED" || imp.status === "PREVIEW") {
    await job.log(`import is ${imp.status.toLowerCase()}; nothing to do`);
    return imp;
  }
  imp = await db.import.update({
    where: { id: imp.id },
    data: {
      status: "RUNNING",
      startedAt: imp.startedAt ?? new Date(),
      waitingUntil: null,
      ...(imp.orderFloor === null && { orderFloor: await importOrderFloor(db, imp.userId) }),
    },
  });
  const publish = (i: Import, phase: SyncPhase, extras?: { message?: string | null; resumeAt?: Date | null }) =>
    s.redis.publish(channels.importProgress(i.userId), JSON.stringify(importProgressEvent(i, phase, extras))).catch(() => 0);
  await job.log(
    imp.position > 0
      ? `resuming import at item ${imp.position} of ${imp.total}`
      : `starting import of ${imp.total} bookmark(s) from ${imp.fileName}`,
  );
  void publish(imp, "fetching");

  const x = new XCaller(s, data.userId, {
    log: job.log,
    stopping: job.stopping,
    onRetry: (reason, delay) =>
      void publish(imp!, "retrying", {
        message: `X did not answer properly (${reason}); trying again`,
        resumeAt: new Date(Date.now() + delay),
      }),
  });
  try {
    for (;;) {
      const items = await stagedItems(db, imp, imp.position, imp.kind === "ARCHIVE" ? ARCHIVE_SCAN : SCAN);
      if (items.length === 0) break;
      const batch = await importBatch(x, imp.kind, items);
      imp = await saveImportBatch(db, imp, batch, s.readPriceUsd);
      if (batch.bookmarks.length > 0) {
        await s
          .libraryChanged(imp.userId, { created: batch.bookmarks.length, updated: 0 })
          .catch((e: unknown) => job.log(`could not publish the change: ${String(e)}`));
        if (s.archiveMedia) {
          await s
            .archiveMedia(
              imp.userId,
              batch.bookmarks.map((b) => b.postId),
            )
            .catch((e: unknown) => job.log(`could not queue the batch's media for the archive: ${String(e)}`));
        }
      }
      void job.progress?.({ pages: 0, fetched: imp.fetched, created: imp.saved, percent: importProgressEvent(imp, "fetching").percent });
      void publish(imp, "fetching");
      if (job.stopping?.aborted) throw new SyncPaused(`worker stopping; checkpointed at item ${imp.position}`);
    }
  } catch (e) {
    throw await handleFailure(s, imp, e, job, x, publish);
  }
  // The staged items are no longer needed: the import's counts say what happened.
  const done = await db.$transaction(async (tx) => {
    await tx.importItem.deleteMany({ where: { importId: imp!.id } });
    return tx.import.update({ where: { id: imp!.id }, data: { status: "SUCCEEDED", finishedAt: new Date(), waitingUntil: null } });
  });
  const summary = `Imported ${done.saved} new bookmark${done.saved === 1 ? "" : "s"}; ${done.skipped} already here${
    done.deletedOnX ? `, ${done.deletedOnX} deleted on X (kept with what the file had)` : ""
  }.`;
  await job.log(`${summary} ${done.apiCalls} API call(s), ${done.postsRead} posts read, ~$${done.costUsd.toFixed(3)}`);
  await publish(done, "done", { message: summary });
  return done;
}

function empty(nextPosition: number): ImportBatch {
  return { nextPosition, authors: [], posts: [], bookmarks: [], deletedOnX: [], fetched: 0, skipped: 0, apiCalls: 0 };
}

/**
 * One batch of staged items. Already here: skipped. X's copy stored (by anyone): bookmarked at
 * once. An exporter file's post no one stored: saved from the file (no API call). The rest (an
 * archive's unknown ids, and a file's posts that only someone else's file brought, which are not
 * trusted: sync/post-upsert.ts) are fetched from X, 100 per call; the batch ends after the 100th
 * id to fetch, so calls are full (2,200 new ids: 22 calls).
 */
async function importBatch(x: XCaller, kind: Import["kind"], items: StagedItem[]): Promise<ImportBatch> {
  const toFetch: StagedItem[] = [];
  let end = items.length;
  for (const [i, item] of items.entries()) {
    if (!item.here && !item.stored && (kind === "ARCHIVE" || item.unverified)) toFetch.push(item);
    if (toFetch.length === LOOKUP_BATCH) {
      end = i + 1;
      break;
    }
  }
  const taken = items.slice(0, end);
  const batch = empty(taken.at(-1)!.position + 1);
  const fetched = new Map<string, PostRow>();
  const authors = new Map<string, AuthorRow>();
  if (toFetch.length > 0) {
    const page = await x.run((client, access) =>
      client.lookupPosts(
        access.accessToken,
        toFetch.map((i) => i.postId),
      ),
    );
    const mapped = mapBookmarksPage(page.data);
    for (const a of mapped.authors) authors.set(a.id, a);
    batch.fetched = mapped.posts.length;
    for (const p of mapped.posts) fetched.set(p.id, p);
    batch.posts = [...mapped.posts];
    batch.referenced = mapped.referenced;
    const unavailable = new Set(mapped.skipped.map((sk) => sk.postId).filter((id): id is string => id !== null));
    batch.deletedOnX = toFetch.map((i) => i.postId).filter((id) => !fetched.has(id) && unavailable.has(id));
  }
  batch.apiCalls = x.takeCalls();
  const gone = new Set(batch.deletedOnX);
  for (const item of taken) {
    if (item.here) {
      batch.skipped++;
      continue;
    }
    const post = fetched.get(item.postId) ?? null;
    if (post) batch.bookmarks.push({ position: item.position, postId: item.postId, post, stored: null });
    else if (item.stored) batch.bookmarks.push({ position: item.position, postId: item.postId, post: null, stored: item.stored });
    else if (kind === "EXPORTER") {
      const file = exporterRows(exporterPost.parse(item.data));
      if (item.unverified || gone.has(item.postId)) {
        // Someone else's file brought it and X did not serve it: this person's own file gives
        // their bookmark its facts; the stored row stays as it is (marked deleted on X if so).
        batch.bookmarks.push({ position: item.position, postId: item.postId, post: null, stored: facts(file.post, file.author) });
      } else {
        if (!authors.has(file.author.id)) authors.set(file.author.id, file.author);
        batch.posts.push(file.post);
        batch.bookmarks.push({ position: item.position, postId: item.postId, post: file.post, stored: null });
      }
    } else if (gone.has(item.postId))
      batch.bookmarks.push({ position: item.position, postId: item.postId, post: null, stored: stubFacts(item.postId) });
    else batch.skipped++; // neither served nor reported by X (a malformed post): left out
  }
  batch.authors = [...authors.values()];
  return batch;
}

/** A post's read-model facts for a bookmark, from rows not written to the shared tables. */
function facts(post: PostRow, author: AuthorRow): NonNullable<StagedItem["stored"]> {
  const row = bookmarkRow(post, author, 0n);
  return {
    text: row.postText,
    postedAt: row.postedAt,
    lang: row.lang,
    hasMedia: row.hasMedia,
    authorId: row.authorId,
    authorName: row.authorName,
    authorUsername: row.authorUsername,
    cardText: row.cardText,
  };
}

/** What a "deleted on X" stub shows: nothing but its time (from the id). */
function stubFacts(postId: string): NonNullable<StagedItem["stored"]> {
  return {
    text: "",
    postedAt: postTimeFromId(postId),
    lang: null,
    hasMedia: false,
    authorId: "",
    authorName: "",
    authorUsername: "",
    cardText: "",
  };
}

async function handleFailure(
  s: ImportServices,
  imp: Import,
  e: unknown,
  job: JobControl,
  x: XCaller,
  publish: (i: Import, phase: SyncPhase, extras?: { message?: string | null; resumeAt?: Date | null }) => Promise<unknown>,
): Promise<Error> {
  const calls = x.takeCalls();
  const current = await s.db.import.update({ where: { id: imp.id }, data: { apiCalls: { increment: calls } } });
  const stoppedMidRetry = job.stopping?.aborted === true && e instanceof XApiError && e.transient;
  if (e instanceof SyncPaused || e instanceof TaskCancelledError || stoppedMidRetry) {
    await job.log(`worker stopping: import checkpointed at item ${current.position}`);
    const queued = await s.db.import.update({ where: { id: imp.id }, data: { status: "QUEUED" } });
    await publish(queued, "queued", { message: "The worker restarted; the import continues in a moment." });
    return new SyncPaused((e as Error).message);
  }
  const wait = waitFor(s.breaker, e);
  if (wait) {
    await job.log(`${wait.message}; waiting until ${wait.resumeAt.toISOString()}`);
    const waiting = await s.db.import.update({ where: { id: imp.id }, data: { waitingUntil: wait.resumeAt } });
    await publish(waiting, wait.kind === "rate_limit" ? "waiting_rate_limit" : "retrying", {
      message:
        wait.kind === "rate_limit"
          ? "X's rate limit is reached; the import continues by itself."
          : "X is failing right now; the import pauses and continues by itself.",
      resumeAt: wait.resumeAt,
    });
    return new SyncWait(wait.resumeAt, wait.kind);
  }
  const stop =
    (e instanceof XAuthError && e.kind === "revoked") ||
    (e instanceof XApiError && ["unauthorized", "forbidden", "usage_capped", "bad_request", "not_found"].includes(e.kind));
  const message =
    e instanceof XAuthError || (e instanceof XApiError && e.kind === "unauthorized")
      ? "Your X login has expired or was revoked. Log in with X again, then import the file again."
      : e instanceof XApiError && e.kind === "usage_capped"
        ? "This app has reached X's usage cap. Waiting minutes will not help; import again when the cap resets."
        : `Import failed: ${(e as Error)?.message ?? String(e)}`;
  const final = stop || job.isFinalAttempt;
  await job.log(`${final ? "failed" : "attempt failed"}: ${message}`);
  const updated = await s.db.import.update({
    where: { id: imp.id },
    data: {
      errors: appendRunErrors(current.errors, [{ kind: final ? "failed" : "attempt_failed", message }]),
      ...(final && { status: "FAILED", error: message, finishedAt: new Date() }),
    },
  });
  await publish(updated, final ? "failed" : "retrying", { message });
  return stop ? new SyncStopped(message) : (e as Error);
}
