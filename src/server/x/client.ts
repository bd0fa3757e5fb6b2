import { z } from "zod";
import type { XConfig } from "./config";
import { classifyStatus, parseRateLimit, problemMessage, XApiError, type RateLimit } from "./errors";
import {
  xBookmarksPage,
  xBookmarkWrite,
  xFolderIdsPage,
  xFoldersPage,
  xMeResponse,
  xProblem,
  type XBookmarksPage,
  type XBookmarkWrite,
  type XFolderIdsPage,
  type XFoldersPage,
  type XUser,
} from "./schemas";

/** What we ask X for on every bookmarks page: everything the library shows, nothing more. */
export const BOOKMARK_FIELDS = {
  "tweet.fields":
    "created_at,lang,entities,public_metrics,attachments,author_id,conversation_id,possibly_sensitive,note_tweet,referenced_tweets",
  // Quoted and replied-to posts come in includes.tweets, with their authors and media.
  expansions: "author_id,attachments.media_keys,referenced_tweets.id,referenced_tweets.id.author_id",
  "user.fields": "name,username,profile_image_url,verified,description",
  "media.fields": "url,preview_image_url,type,width,height,alt_text,duration_ms,variants",
} as const;

export const ME_FIELDS = { "user.fields": "name,username,profile_image_url,verified,description" } as const;

export interface XResult<T> {
  data: T;
  rateLimit?: RateLimit;
}

/** Called after every X API request (counting calls, recording rate-limit state). */
export type XCallListener = (info: { path: string; status: number | null; rateLimit?: RateLimit }) => void;

/** A thin, typed client for the X API v2 endpoints we use. No retries here: callers decide. */
export class XClient {
  constructor(
    private readonly config: Pick<XConfig, "apiUrl" | "timeoutMs">,
    private readonly onCall?: XCallListener,
  ) {}

  getMe(accessToken: string, signal?: AbortSignal): Promise<XResult<XUser>> {
    return this.get("/2/users/me", ME_FIELDS, accessToken, xMeResponse, signal).then((r) => ({
      data: r.data.data,
      rateLimit: r.rateLimit,
    }));
  }

  getBookmarksPage(
    accessToken: string,
    userId: string,
    opts: { maxResults: number; paginationToken?: string | null },
    signal?: AbortSignal,
  ): Promise<XResult<XBookmarksPage>> {
    const params: Record<string, string> = { ...BOOKMARK_FIELDS, max_results: String(opts.maxResults) };
    if (opts.paginationToken) params.pagination_token = opts.paginationToken;
    return this.get(`/2/users/${encodeURIComponent(userId)}/bookmarks`, params, accessToken, xBookmarksPage, signal);
  }

  /** One page of the user's bookmark folders (`{ id, name }`). */
  getBookmarkFolders(
    accessToken: string,
    userId: string,
    opts: { paginationToken?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<XResult<XFoldersPage>> {
    const params: Record<string, string> = { max_results: "100" };
    if (opts.paginationToken) params.pagination_token = opts.paginationToken;
    return this.get(`/2/users/${encodeURIComponent(userId)}/bookmarks/folders`, params, accessToken, xFoldersPage, signal);
  }

  /**
   * One page of a folder's post ids, newest first. X is reported to serve only the ~20 newest ids
   * of a folder and no further page: a caller treats a page without `next_token` as the end of
   * what X will say, not necessarily of the folder.
   */
  getBookmarkFolderIds(
    accessToken: string,
    userId: string,
    folderId: string,
    opts: { paginationToken?: string | null } = {},
    signal?: AbortSignal,
  ): Promise<XResult<XFolderIdsPage>> {
    const params: Record<string, string> = { max_results: "100" };
    if (opts.paginationToken) params.pagination_token = opts.paginationToken;
    const path = `/2/users/${encodeURIComponent(userId)}/bookmarks/folders/${encodeURIComponent(folderId)}`;
    return this.get(path, params, accessToken, xFolderIdsPage, signal);
  }

  /** GET /2/tweets?ids=: up to 100 posts by id, answered like a bookmarks page (unavailable ids in `errors`). */
  lookupPosts(accessToken: string, ids: readonly string[], signal?: AbortSignal): Promise<XResult<XBookmarksPage>> {
    if (ids.length === 0 || ids.length > 100) throw new Error(`lookupPosts takes 1-100 ids, not ${ids.length}`);
    return this.get("/2/tweets", { ...BOOKMARK_FIELDS, ids: ids.join(",") }, accessToken, xBookmarksPage, signal);
  }

  /** POST /2/users/:id/bookmarks: bookmarks a post on X (needs `bookmark.write`). */
  addBookmark(accessToken: string, userId: string, tweetId: string, signal?: AbortSignal): Promise<XResult<XBookmarkWrite>> {
    const path = `/2/users/${encodeURIComponent(userId)}/bookmarks`;
    return this.get(path, {}, accessToken, xBookmarkWrite, signal, { method: "POST", body: { tweet_id: tweetId } });
  }

  /** DELETE /2/users/:id/bookmarks/:tweet_id: removes a bookmark on X (needs `bookmark.write`). */
  removeBookmark(accessToken: string, userId: string, tweetId: string, signal?: AbortSignal): Promise<XResult<XBookmarkWrite>> {
    const path = `/2/users/${encodeURIComponent(userId)}/bookmarks/${encodeURIComponent(tweetId)}`;
    return this.get(path, {}, accessToken, xBookmarkWrite, signal, { method: "DELETE" });
  }

  private async get<T>(
    path: string,
    params: Record<string, string>,
    accessToken: string,
    schema: z.ZodType<T>,
    signal?: AbortSignal,
    write?: { method: "POST" | "DELETE"; body?: unknown },
  ): Promise<XResult<T>> {
    const query = new URLSearchParams(params).toString();
    const url = `${this.config.apiUrl}${path}${query ? `?${query}` : ""}`;
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        method: write?.method ?? "GET",
        headers: {
          authorization: `Bearer ${accessToken}`,
          accept: "application/json",
          ...(write?.body !== undefined && { "content-type": "application/json" }),
        },
        ...(write?.body !== undefined && { body: JSON.stringify(write.body) }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (e) {
      this.onCall?.({ path, status: null });
      if (signal?.aborted) throw e; // our own cancellation, not X's fault
      if (timeout.aborted) throw new XApiError("timeout", `X did not answer within ${this.config.timeoutMs} ms`);
      throw new XApiError("network", `Could not reach X: ${(e as Error).message}`);
    }
    const rateLimit = parseRateLimit(res.headers);
    this.onCall?.({ path, status: res.status, rateLimit });

    let body: unknown;
    try {
      body = await res.json();
    } catch {
      if (res.ok) throw new XApiError("invalid_response", "X answered with something that is not JSON", res.status);
      body = undefined;
    }
    if (!res.ok) {
      const problem = xProblem.safeParse(body).data;
      throw new XApiError(classifyStatus(res.status, problem), problemMessage(res.status, problem), res.status, problem, rateLimit);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new XApiError("invalid_response", `Unexpected answer from X: ${z.prettifyError(parsed.error)}`, res.status);
    }
    return { data: parsed.data, rateLimit };
  }
}
