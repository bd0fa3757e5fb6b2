/**
 * When a supervised process that died should be started again: exponential backoff from 1 s to
 * 30 s, and giving up after 5 crashes within a minute (a crash loop that restarts cannot fix).
 * Pure logic, no timers: the supervisor passes the clock in.
 */
export interface RestartPolicyOptions {
  /** First restart delay (default 1 s); doubles with each crash in a row. */
  initialDelayMs?: number;
  /** Longest restart delay (default 30 s). */
  maxDelayMs?: number;
  /** Crashes within `windowMs` at which it gives up (default 5). */
  maxCrashes?: number;
  /** The give-up window (default 60 s); a process that ran this long is stable again. */
  windowMs?: number;
}

export type RestartDecision = { restart: true; delayMs: number; crashesInWindow: number } | { restart: false; crashesInWindow: number };

export class RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxCrashes: number;
  readonly windowMs: number;
  private crashTimes: number[] = [];
  /** Crashes since the process last ran for a whole window: the backoff's exponent. */
  private inARow = 0;

  constructor(opts: RestartPolicyOptions = {}) {
    this.initialDelayMs = opts.initialDelayMs ?? 1_000;
    this.maxDelayMs = opts.maxDelayMs ?? 30_000;
    this.maxCrashes = opts.maxCrashes ?? 5;
    this.windowMs = opts.windowMs ?? 60_000;
  }

  /** The process ended unexpectedly at `now` after running `uptimeMs`: restart it, and when? */
  onCrash(now: number, uptimeMs: number): RestartDecision {
    this.crashTimes = this.crashTimes.filter((t) => now - t < this.windowMs);
    this.crashTimes.push(now);
    // A process that ran a whole window was healthy: its next crash starts the backoff again.
    this.inARow = uptimeMs >= this.windowMs ? 1 : this.inARow + 1;
    const crashesInWindow = this.crashTimes.length;
    if (crashesInWindow >= this.maxCrashes) return { restart: false, crashesInWindow };
    const delayMs = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (this.inARow - 1));
    return { restart: true, delayMs, crashesInWindow };
  }
}
