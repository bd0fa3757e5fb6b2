/**
 * What the offline queue does with a queued edit whose replay failed: keep it for a later round,
 * or drop it (and tell the person). Only a definitive refusal from the server drops it: a 4xx
 * other than 401 (logged out: it waits for the next log-in), 408 and 429 (try later). Anything
 * that is not the server's answer (no network, a proxy's page), 5xx, and PRECONDITION_FAILED
 * (another account is logged in now) keep it.
 */
export type ReplayOutcome = "keep" | "drop";

const KEEP_STATUSES = new Set([401, 408, 429]);
const KEEP_CODES = new Set(["UNAUTHORIZED", "TIMEOUT", "TOO_MANY_REQUESTS", "PRECONDITION_FAILED", "CLIENT_CLOSED_REQUEST"]);

/**
 * The edit never reached the server: the browser is offline, the request could not be made
 * ("Failed to fetch"), or the answer was not the server's (a client error without data).
 */
export function isNetworkError(error: unknown): boolean {
  if (typeof navigator !== "undefined" && !navigator.onLine) return true;
  if (error instanceof TypeError) return true;
  const e = error as { name?: string; data?: unknown; cause?: unknown } | null;
  if (!e || e.name !== "TRPCClientError") return false;
  return e.data === undefined || e.data === null || e.cause instanceof TypeError;
}

export function replayOutcome(error: unknown): ReplayOutcome {
  if (isNetworkError(error)) return "keep";
  const data = (error as { data?: { code?: unknown; httpStatus?: unknown } | null } | null)?.data;
  const status = typeof data?.httpStatus === "number" ? data.httpStatus : null;
  const code = typeof data?.code === "string" ? data.code : null;
  if (code !== null && KEEP_CODES.has(code)) return "keep";
  if (status === null) return "keep";
  if (status >= 500 || KEEP_STATUSES.has(status)) return "keep";
  return status >= 400 ? "drop" : "keep";
}
