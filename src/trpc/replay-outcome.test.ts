import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { replayOutcome } from "./replay-outcome";

/** A tRPC client error as the client builds it from the server's error answer. */
function serverError(code: string, httpStatus: number) {
  return TRPCClientError.from({ error: { message: code, code: -32000, data: { code, httpStatus } } });
}

describe("offline replay: which failures keep a queued edit", () => {
  it("keeps it when the server did not answer definitively: 401, 408, 429, 5xx", () => {
    for (const [code, status] of [
      ["UNAUTHORIZED", 401],
      ["TIMEOUT", 408],
      ["TOO_MANY_REQUESTS", 429],
      ["INTERNAL_SERVER_ERROR", 500],
      ["NOT_IMPLEMENTED", 501],
      ["BAD_GATEWAY", 502],
      ["SERVICE_UNAVAILABLE", 503],
      ["GATEWAY_TIMEOUT", 504],
      ["CLIENT_CLOSED_REQUEST", 499],
      // Another account is logged in now: it waits for its own.
      ["PRECONDITION_FAILED", 412],
    ] as const) {
      expect(replayOutcome(serverError(code, status)), `${code} ${status}`).toBe("keep");
    }
  });

  it("keeps it when the answer was not the server's: no network, a proxy's page, no data", () => {
    expect(replayOutcome(new TypeError("Failed to fetch"))).toBe("keep");
    expect(replayOutcome(new TRPCClientError("Unexpected token < in JSON"))).toBe("keep");
    expect(replayOutcome(TRPCClientError.from({ error: { message: "x", code: -32000, data: null } } as never))).toBe("keep");
    expect(replayOutcome(null)).toBe("keep");
  });

  it("drops it only on a definitive 4xx from the server", () => {
    for (const [code, status] of [
      ["BAD_REQUEST", 400],
      ["FORBIDDEN", 403],
      ["NOT_FOUND", 404],
      ["CONFLICT", 409],
      ["PAYLOAD_TOO_LARGE", 413],
      ["UNPROCESSABLE_CONTENT", 422],
    ] as const) {
      expect(replayOutcome(serverError(code, status)), `${code} ${status}`).toBe("drop");
    }
  });
});
