/**
 * Write-back: `POST /2/users/:id/bookmarks { tweet_id, folder_id? }` → `{ data: { bookmarked: true } }`
 * and `DELETE /2/users/:id/bookmarks/:tweet_id` → `{ data: { bookmarked: false } }`. Both need
 * `bookmark.write` (403 without it) and share their own 50-per-15-minutes window per user
 * (endpoint `bookmarkWrites`). Both are idempotent, as X's are: adding a bookmarked post or removing
 * one that is not bookmarked answers the same state. Removing also takes the post out of folders.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import type { Guard } from "./api";
import { genericProblem, invalidRequest, problemResponse } from "./problems";
import type { SandboxStore } from "./store";

export const BOOKMARK_WRITE_SCOPES = ["bookmark.write", "tweet.read", "users.read"];

const addBody = z.object({
  tweet_id: z.string().regex(/^[0-9]{1,19}$/),
  folder_id: z
    .string()
    .regex(/^[0-9]{1,19}$/)
    .optional(),
});

function json(body: unknown, headers: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status: 200, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export function writeRoutes(app: Hono, store: SandboxStore, guard: Guard): void {
  const own = (c: Context, userId: string, headers: Record<string, string>) =>
    c.req.param("id") === userId
      ? null
      : problemResponse(genericProblem(403, "The `id` must be the id of the user who authorized this token."), 403, headers);

  app.post("/2/users/:id/bookmarks", async (c) => {
    const g = await guard(c, "bookmarkWrites", BOOKMARK_WRITE_SCOPES);
    if (g instanceof Response) return g;
    const refused = own(c, g.user.id, g.headers);
    if (refused) return refused;
    const body = addBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) {
      return problemResponse(invalidRequest([{ parameters: {}, message: "`tweet_id` must be a post id (digits)." }]), 400, g.headers);
    }
    const post = store.posts.get(body.data.tweet_id);
    if (!post || post.deleted) {
      return problemResponse(genericProblem(404, `Could not find tweet with id: [${body.data.tweet_id}].`), 404, g.headers);
    }
    const folder = body.data.folder_id ? store.foldersOf(g.user.id).find((f) => f.id === body.data.folder_id) : undefined;
    if (body.data.folder_id && !folder) {
      return problemResponse(genericProblem(404, `Could not find folder with id: [${body.data.folder_id}].`), 404, g.headers);
    }
    store.bookmarkList(g.user.id).push(post.id);
    if (folder && !folder.ids.includes(post.id)) folder.ids.unshift(post.id);
    return json({ data: { bookmarked: true } }, g.headers);
  });

  app.delete("/2/users/:id/bookmarks/:tweetId", async (c) => {
    const g = await guard(c, "bookmarkWrites", BOOKMARK_WRITE_SCOPES);
    if (g instanceof Response) return g;
    const refused = own(c, g.user.id, g.headers);
    if (refused) return refused;
    const tweetId = c.req.param("tweetId");
    if (!/^[0-9]{1,19}$/.test(tweetId)) {
      return problemResponse(
        invalidRequest([{ parameters: { tweet_id: [tweetId] }, message: "`tweet_id` must be a post id (digits)." }]),
        400,
        g.headers,
      );
    }
    store.removeBookmark(g.user.id, tweetId);
    return json({ data: { bookmarked: false } }, g.headers);
  });
}
