import { getAppSession } from "~/server/auth";
import { exportResponse } from "~/server/bookmarks/export";
import { db } from "~/server/db";
import { refuseForeignOrigin } from "~/server/http/origin";

// The library as a file: GET /api/export?format=csv|json|md&filter=<JSON> (see exportResponse).
// Only from the app's own pages (or typed in): a hostile page cannot make the server do the work.
export async function GET(req: Request): Promise<Response> {
  return refuseForeignOrigin(req) ?? exportResponse(db, await getAppSession(), req);
}
