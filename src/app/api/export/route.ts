import { getAppSession } from "~/server/auth";
import { exportResponse } from "~/server/bookmarks/export";
import { db } from "~/server/db";

// The library as a file: GET /api/export?format=csv|json|md&filter=<JSON> (see exportResponse).
export async function GET(req: Request): Promise<Response> {
  return exportResponse(db, await getAppSession(), req);
}
