/** X's error documents: RFC 7807 problems (application/problem+json) with X's type URLs. */

/** The problem type base used by X's OpenAPI description (v2.167). */
export const PROBLEM_BASE = "https://api.x.com/2/problems";
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface ParameterError {
  parameters: Record<string, string[]>;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  detail: string;
  status?: number;
  [extra: string]: unknown;
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status >= 500 ? "Server Error" : "Error");
}

/**
 * The generic problem X sends for 401, 403 (missing scope), 429 and 5xx answers:
 * `{ "title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized" }`.
 */
export function genericProblem(status: number, detail?: string): Problem {
  const title = reasonPhrase(status);
  return { title, type: "about:blank", status, detail: detail ?? title };
}

/** 400: one entry per bad parameter, as X lists them. */
export function invalidRequest(errors: ParameterError[]): Problem {
  return {
    errors,
    title: "Invalid Request",
    detail: "One or more parameters to your request was invalid.",
    type: `${PROBLEM_BASE}/invalid-request`,
    status: 400,
  };
}

/**
 * 429 when the app's usage cap is spent (X's UsageCapExceededProblem): not a window problem, so
 * waiting for `x-rate-limit-reset` does not help.
 */
export function usageCapped(period: "Daily" | "Monthly"): Problem {
  return {
    title: "UsageCapExceeded",
    detail: `Usage cap exceeded: ${period} product cap`,
    type: `${PROBLEM_BASE}/usage-capped`,
    period,
    scope: "Product",
    status: 429,
  };
}

/** A partial-success error inside a 200 answer: the bookmarked (or looked-up) post no longer exists. */
export function postNotFound(id: string, parameter: "id" | "ids" = "id") {
  return {
    value: id,
    detail: `Could not find tweet with id: [${id}].`,
    title: "Not Found Error",
    resource_type: "tweet",
    parameter,
    resource_id: id,
    type: `${PROBLEM_BASE}/resource-not-found`,
  };
}

export function problemResponse(problem: Problem, status: number, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, "cache-control": "no-cache, no-store, max-age=0", ...headers },
  });
}
