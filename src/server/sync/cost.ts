import type { Env } from "~/env";

/**
 * X bills reading bookmarks per post returned (pay-per-use, 2026): the standard read price, or
 * the lower "owned read" price when the logged-in user owns the developer app. Posts already read
 * in the same UTC day are not billed again (counted per run in ingest.ts), so this is an estimate.
 */
export function readPriceUsd(e: Pick<Env, "X_READ_PRICE_USD" | "X_OWNED_READ_PRICE_USD" | "X_OWNED_READS">): number {
  return e.X_OWNED_READS ? e.X_OWNED_READ_PRICE_USD : e.X_READ_PRICE_USD;
}
