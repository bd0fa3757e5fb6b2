import type { XProblem } from "./schemas";

export interface RateLimit {
  limit: number;
  remaining: number;
  resetAt: Date;
}

export type XErrorKind =
  | "unauthorized" // 401: token invalid or expired
  | "forbidden" // 403: missing scope, app not allowed
  | "rate_limited" // 429: the 15-minute window is spent
  | "usage_capped" // 429: a daily/monthly cap; waiting minutes does not help
  | "bad_request" // 400
  | "not_found" // 404
  | "server" // 5xx
  | "timeout"
  | "network"
  | "invalid_response"; // not the JSON we expect

/** A failed X API call, classified so callers can decide: retry, refresh, wait or stop. */
export class XApiError extends Error {
  override name = "XApiError";
  constructor(
    readonly kind: XErrorKind,
    message: string,
    readonly status?: number,
    readonly problem?: XProblem,
    readonly rateLimit?: RateLimit,
  ) {
    super(message);
  }

  /** Worth trying the same request again after a pause. */
  get transient(): boolean {
    return this.kind === "server" || this.kind === "timeout" || this.kind === "network";
  }
}

/** A refused or failed token refresh. `kind: "revoked"` means the user must log in again. */
export class XAuthError extends Error {
  override name = "XAuthError";
  constructor(
    readonly kind: "revoked" | "unavailable",
    message: string,
  ) {
    super(message);
  }
}

export function parseRateLimit(headers: Headers): RateLimit | undefined {
  const limit = Number(headers.get("x-rate-limit-limit"));
  const remaining = Number(headers.get("x-rate-limit-remaining"));
  const reset = Number(headers.get("x-rate-limit-reset"));
  if (!headers.has("x-rate-limit-reset") || !Number.isFinite(reset)) return undefined;
  return {
    limit: Number.isFinite(limit) ? limit : 0,
    remaining: Number.isFinite(remaining) ? remaining : 0,
    resetAt: new Date(reset * 1000),
  };
}

export function classifyStatus(status: number, problem?: XProblem): XErrorKind {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 429) return problem?.type?.endsWith("/usage-capped") ? "usage_capped" : "rate_limited";
  if (status === 404) return "not_found";
  if (status >= 500) return "server";
  return "bad_request";
}

export function problemMessage(status: number, problem?: XProblem): string {
  const legacy = problem?.errors
    ?.map((e) => e.message)
    .filter(Boolean)
    .join("; ");
  return problem?.detail ?? problem?.title ?? (legacy || `X answered HTTP ${status}`);
}
