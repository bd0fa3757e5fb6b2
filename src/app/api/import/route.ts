import { env } from "~/env";
import { getAppSession } from "~/server/auth";
import { db } from "~/server/db";
import { allowedOrigins } from "~/server/http/origin";
import { importUpload } from "~/server/import/upload";
import { webServices } from "~/server/services";
import { readPriceUsd } from "~/server/sync/cost";

// An import file, streamed: POST /api/import with the file as the body (see importUpload).
export const runtime = "nodejs";

export async function POST(req: Request): Promise<Response> {
  const deps = {
    db,
    maxBytes: env.IMPORT_MAX_BYTES,
    maxUnzippedBytes: env.IMPORT_MAX_UNZIPPED_BYTES,
    maxItems: env.IMPORT_MAX_ITEMS,
    limits: webServices().limits,
    readPriceUsd: readPriceUsd(env),
    allowedOrigins: allowedOrigins(),
  };
  return importUpload(deps, await getAppSession(), req);
}
