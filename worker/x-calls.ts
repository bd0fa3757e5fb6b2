import { BrokenCircuitError, ExponentialBackoff, fullJitterGenerator, handleWhen, retry } from "cockatiel";
import { XClient, type XCallListener } from "~/server/x/client";
import type { XConfig } from "~/server/x/config";
import { XApiError } from "~/server/x/errors";
import { getXAccess, refreshXAccess, type TokenDeps, type XAccess } from "~/server/x/tokens";
import type { XBreaker } from "./x-breaker";

/** What every job that calls X on a user's behalf shares: tokens, the breaker, retries, pacing. */
export interface XCallServices {
  tokens: TokenDeps;
  x: Pick<XConfig, "apiUrl" | "timeoutMs">;
  /** The worker's circuit breaker around X calls, shared by all its jobs. */
  breaker: XBreaker;
  /** After every X API answer for a user (the worker records the per-user rate-limit state). */
  onXCall?: (userId: string, call: Parameters<XCallListener>[0]) => void;
  /** First delay when retrying a failed X request (full jitter, doubling, capped at 60 s). */
  retryBaseMs?: number;
}

const REQUEST_TRIES = 3;

/**
 * One job's way of calling X for one user: transient failures (5xx, timeouts, connection errors)
 * get 3 tries with exponential backoff and full jitter from 2 s (capped at 60 s); the breaker sits
 * inside, so every failed try counts; a 401 refreshes the token once and tries again. Calls are
 * counted so the job can record them with its checkpoint.
 */
export class XCaller {
  readonly client: XClient;
  private calls = 0;
  private access: XAccess | null = null;
  private readonly policy;

  constructor(
    private readonly s: XCallServices,
    private readonly userId: string,
    private readonly hooks: { log(line: string): unknown; onRetry?(reason: string, delayMs: number): void; stopping?: AbortSignal },
  ) {
    this.client = new XClient(s.x, (call) => {
      this.calls++;
      s.onXCall?.(userId, call);
    });
    this.policy = retry(
      handleWhen((e) => e instanceof XApiError && e.transient),
      {
        maxAttempts: REQUEST_TRIES - 1,
        backoff: new ExponentialBackoff({ generator: fullJitterGenerator, initialDelay: s.retryBaseMs ?? 2_000, maxDelay: 60_000 }),
      },
    );
    this.policy.onRetry((r) => {
      const reason = "error" in r ? r.error.message : "no answer";
      void hooks.log(`X request failed (${reason}); retrying in ${Math.round(r.delay)} ms`);
      hooks.onRetry?.(reason, r.delay);
    });
  }

  /** API calls made since the last take (counted on the run with the batch they belong to). */
  takeCalls(): number {
    const n = this.calls;
    this.calls = 0;
    return n;
  }

  /** Runs one X request with the user's token under the retry policy and the breaker. */
  run<T>(request: (client: XClient, access: XAccess) => Promise<T>): Promise<T> {
    return this.policy.execute(async () => {
      this.access ??= await getXAccess(this.s.tokens, this.userId);
      const access = this.access;
      try {
        return await this.s.breaker.execute(() => request(this.client, access));
      } catch (e) {
        // 401: the access token expired or was revoked. Refresh once, then try again.
        if (!(e instanceof XApiError && e.kind === "unauthorized")) throw e;
        await this.hooks.log("access token refused by X; refreshing it");
        this.access = await refreshXAccess(this.s.tokens, this.userId, access.sealed);
        const fresh = this.access;
        return this.s.breaker.execute(() => request(this.client, fresh));
      }
    }, this.hooks.stopping);
  }
}

/** When a job should wait rather than fail: X's rate-limit window (until its reset) or the open circuit. */
export function waitFor(breaker: XBreaker, e: unknown): { resumeAt: Date; kind: "rate_limit" | "breaker"; message: string } | null {
  if (e instanceof XApiError && e.kind === "rate_limited") {
    // Until X's window resets, plus up to a second of jitter so waiting jobs do not all return at once.
    const resumeAt = new Date(Math.max(e.rateLimit?.resetAt.getTime() ?? 0, Date.now() + 1_000) + Math.random() * 1_000);
    return { resumeAt, kind: "rate_limit", message: "rate limited by X" };
  }
  if (e instanceof BrokenCircuitError) {
    return {
      resumeAt: new Date(breaker.retryAt().getTime() + Math.random() * 1_000),
      kind: "breaker",
      message: "X calls paused: circuit open",
    };
  }
  return null;
}
