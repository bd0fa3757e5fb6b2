import { env } from "~/env";
import { getAppSession } from "~/server/auth";
import { db } from "~/server/db";
import { allowedOrigins } from "~/server/http/origin";
import { importUpload } from "~/server/import/upload";
import { readPriceUsd } from "~/server/sync/cost";

// An import file, streamed: POST /api/import with the file as the body (see importUpload).
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  return importUpload({ db, maxBytes: env.IMPORT_MAX_BYTES, readPriceUsd: readPriceUsd(env), allowedOrigins: allowedOrigins() }, await getAppSession(), req);
}
