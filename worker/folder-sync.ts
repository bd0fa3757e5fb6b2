import type { FolderRead } from "~/server/folders/save";
import { XApiError } from "~/server/x/errors";
import type { XCaller } from "./x-calls";

/**
 * X is reported to serve only the ~20 newest ids of a folder, in one answer without a next page.
 * A single page this long may be such a cut, so its folder counts as possibly partial.
 */
export const FOLDER_IDS_CAP = 20;
/** Bounds on pages read (folder list, one folder's ids): X's folder limit is 50 calls per 15 min. */
const MAX_PAGES = 20;

export interface FoldersRead {
  folders: FolderRead[];
  /** X's folder list was read to its end (folders missing from it are gone). */
  listComplete: boolean;
  /** Why reading stopped early (X's rate limit, an error); what was read before it still counts. */
  stoppedBy: string | null;
}

/**
 * Reads the person's bookmark folders and each folder's post ids. Transient failures are retried
 * by the caller's policy (and counted by the breaker); anything else ends the reading with what was
 * read so far, marked incomplete, so a later full sync finishes the job and nothing is removed on a
 * guess.
 */
export async function readFolders(x: XCaller, log: (line: string) => unknown): Promise<FoldersRead> {
  const list: { id: string; name: string }[] = [];
  const folders: FolderRead[] = [];
  let listComplete = false;
  try {
    let token: string | null = null;
    for (let page = 0; page < MAX_PAGES; page++) {
      const r = await x.run((c, a) => c.getBookmarkFolders(a.accessToken, a.xUserId, { paginationToken: token }));
      list.push(...(r.data.data ?? []).map((f) => ({ id: f.id, name: f.name })));
      token = r.data.meta?.next_token ?? null;
      if (!token) {
        listComplete = true;
        break;
      }
    }
    for (const f of list) folders.push(await readFolder(x, f));
    return { folders, listComplete, stoppedBy: null };
  } catch (e) {
    const why = e instanceof XApiError && e.kind === "rate_limited" ? "X's rate limit for folders is reached" : (e as Error).message;
    await log(`folders: stopped after ${folders.length} of ${list.length} folder(s): ${why}`);
    return { folders, listComplete: false, stoppedBy: why };
  }
}

async function readFolder(x: XCaller, f: { id: string; name: string }): Promise<FolderRead> {
  const ids: string[] = [];
  let token: string | null = null;
  let pages = 0;
  let complete = false;
  while (pages < MAX_PAGES) {
    try {
      const r = await x.run((c, a) => c.getBookmarkFolderIds(a.accessToken, a.xUserId, f.id, { paginationToken: token }));
      ids.push(...(r.data.data ?? []).map((d) => d.id));
      token = r.data.meta?.next_token ?? null;
      pages++;
    } catch (e) {
      // X is reported to refuse pagination on folders: keep the ids read, as a partial folder.
      if (token && e instanceof XApiError && e.kind === "bad_request") break;
      throw e;
    }
    if (!token) {
      // One page as long as X's reported cap may be that cap: possibly not the whole folder.
      complete = !(pages === 1 && ids.length >= FOLDER_IDS_CAP);
      break;
    }
  }
  return { xId: f.id, name: f.name, ids: [...new Set(ids)], complete };
}
