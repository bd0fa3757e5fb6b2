/**
 * The exactly-once check after a worker died mid-sync: the run, resumed by another worker from
 * its checkpoint, ends with every bookmark once in X's order, having read from X only the pages
 * not yet saved.
 */
import { expect } from "vitest";
import type { Harness } from "./harness";
import type { SandboxControl } from "./sandbox-control";

export async function expectResumedToCompletion(
  h: Harness,
  opts: {
    runId: string;
    user: { id: string; xId: string };
    checkpoint: { pages: number; fetched: number };
    /** X bookmark reads for the user when the worker died. */
    callsBefore: number;
    bookmarks: number;
    pages: number;
    /** The sandbox holding the user's X account (default: the harness's). */
    control?: SandboxControl;
  },
) {
  const { runId, user, checkpoint, bookmarks, pages } = opts;
  const control = opts.control ?? h.control;
  const run = await h.waitForRun(runId, 40_000);
  expect(run).toMatchObject({ status: "SUCCEEDED", fetched: bookmarks, created: bookmarks, updated: 0, pages });
  expect(await h.libraryIds(user.id)).toEqual((await control<{ ids: string[] }>("GET", `/users/${user.xId}/bookmarks`)).ids);
  expect(await h.db.bookmark.count({ where: { userId: user.id } })).toBe(bookmarks);
  const logs = (await h.services.syncQueue.getJobLogs(runId)).logs;
  expect(logs).toContain(`resuming full sync after page ${checkpoint.pages} (${checkpoint.fetched} bookmarks so far)`);
  expect(logs.filter((l) => l.startsWith("starting "))).toHaveLength(1);
  expect((await bookmarkReads(control, user.xId)) - opts.callsBefore).toBe(pages - checkpoint.pages);
}

/** X bookmark-page reads the sandbox has answered for that X user. */
export async function bookmarkReads(control: SandboxControl, xId: string): Promise<number> {
  return (await control<{ apiCalls: { bookmarks: number } }>("GET", `/users/${xId}/stats`)).apiCalls.bookmarks;
}
