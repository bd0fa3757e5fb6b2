import { circuitBreaker, CircuitState, handleWhen, type CircuitBreakerPolicy, type IBreaker } from "cockatiel";
import { XApiError } from "~/server/x/errors";

export type BreakerStateName = "closed" | "open" | "half_open";

export interface BreakerOptions {
  /** Consecutive failed X calls that open the circuit. */
  failures?: number;
  /** How long the circuit stays open before letting a trial call through. */
  halfOpenAfterMs?: number;
  /** Successful calls in a row, after opening, before the circuit counts as closed again. */
  successesToClose?: number;
}

export interface BreakerSnapshot {
  state: BreakerStateName;
  /** While open: when the next trial call is allowed. */
  retryAt: string | null;
  openedAt: string | null;
  consecutiveFailures: number;
  opens: number;
}

/**
 * cockatiel's breaker closes on the first successful trial call; X Bookmarker wants 3 successes.
 * This IBreaker (cockatiel's own extension point) keeps a probation after each half-open: until
 * `successesToClose` calls have succeeded, any failure re-opens the circuit at once.
 */
class ProbationBreaker implements IBreaker {
  failures = 0; // consecutive failed calls
  probation = 0; // successes still needed before the circuit is fully closed

  constructor(
    private readonly threshold: number,
    private readonly successesToClose: number,
  ) {}

  get state(): unknown {
    return { failures: this.failures, probation: this.probation };
  }
  set state(v: unknown) {
    const s = v as { failures?: number; probation?: number } | undefined;
    this.failures = s?.failures ?? 0;
    this.probation = s?.probation ?? 0;
  }

  success(state: CircuitState): void {
    this.failures = 0;
    if (state === CircuitState.HalfOpen) this.probation = this.successesToClose - 1;
    else if (this.probation > 0) this.probation--;
  }

  failure(state: CircuitState): boolean {
    this.failures++;
    if (state === CircuitState.HalfOpen || this.probation > 0) {
      this.probation = 0;
      return true;
    }
    return this.failures >= this.threshold;
  }
}

/** Failures that say "X is in trouble" (not "this user's request is wrong"). */
export function isXOutage(e: unknown): boolean {
  return e instanceof XApiError && (e.transient || e.kind === "rate_limited");
}

/**
 * One circuit breaker around every X API call of a worker process, shared by all its jobs:
 * opens after 5 consecutive failures, lets a trial call through after 60 s, and counts as closed
 * after 3 successes. While it is open, callers get cockatiel's BrokenCircuitError and delay their
 * job until `retryAt`.
 */
export class XBreaker {
  readonly policy: CircuitBreakerPolicy;
  private readonly breaker: ProbationBreaker;
  private readonly halfOpenAfterMs: number;
  private openedAt: Date | null = null;
  private opens = 0;
  private readonly listeners = new Set<(s: BreakerSnapshot) => void>();

  constructor(opts: BreakerOptions = {}) {
    this.halfOpenAfterMs = opts.halfOpenAfterMs ?? 60_000;
    this.breaker = new ProbationBreaker(opts.failures ?? 5, opts.successesToClose ?? 3);
    this.policy = circuitBreaker(handleWhen(isXOutage), { halfOpenAfter: this.halfOpenAfterMs, breaker: this.breaker });
    this.policy.onBreak(() => {
      this.openedAt = new Date();
      this.opens++;
    });
    this.policy.onReset(() => (this.openedAt = null));
    // Probation ends on a success without a cockatiel state change: look after every call.
    this.policy.onStateChange(() => this.emit());
    this.policy.onSuccess(() => this.emit());
  }

  execute<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.policy.execute(fn, signal);
  }

  /** When a job held back by the open circuit should try again. */
  retryAt(): Date {
    const opened = this.openedAt?.getTime() ?? Date.now();
    return new Date(Math.max(opened + this.halfOpenAfterMs, Date.now() + 1_000));
  }

  snapshot(): BreakerSnapshot {
    const s = this.policy.state;
    const state: BreakerStateName =
      s === CircuitState.Open || s === CircuitState.Isolated
        ? "open"
        : s === CircuitState.HalfOpen || this.breaker.probation > 0
          ? "half_open"
          : "closed";
    return {
      state,
      retryAt: state === "open" ? this.retryAt().toISOString() : null,
      openedAt: this.openedAt?.toISOString() ?? null,
      consecutiveFailures: this.breaker.failures,
      opens: this.opens,
    };
  }

  /** Called on every state change (metrics, the admin page). */
  onChange(fn: (s: BreakerSnapshot) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private lastState: BreakerStateName = "closed";

  private emit() {
    const snap = this.snapshot();
    if (snap.state === this.lastState) return;
    this.lastState = snap.state;
    for (const fn of this.listeners) fn(snap);
  }
}
