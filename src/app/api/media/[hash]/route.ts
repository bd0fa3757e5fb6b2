import { db } from "~/server/db";
import { serveMedia } from "~/server/media/serve";
import { mediaStore } from "~/server/media/store";
import { sessionFromCookieHeader } from "~/server/session";

// An archived media file (see serveMedia): GET and HEAD, with auth, ETag and Range.
async function handle(req: Request, ctx: { params: Promise<{ hash: string }> }): Promise<Response> {
  const { hash } = await ctx.params;
  const session = await sessionFromCookieHeader(db, req.headers.get("cookie"));
  return serveMedia({ db, store: mediaStore() }, session, req, hash);
}

export const GET = handle;
export const HEAD = handle;
