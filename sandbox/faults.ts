/**
 * Switchable faults on the X API routes: latency, random error answers, requests that never
 * answer and malformed posts (the usage cap is answered in api.ts, after authentication, as it
 * carries the user's rate-limit headers). Every timer and held request is tracked, ends when the client disconnects, and is
 * released by `releaseAll()` when the sandbox closes.
 */
import { genericProblem, problemResponse } from "./problems";
import type { SandboxStore } from "./store";

export class FaultRunner {
  private waiting = new Set<() => void>();

  constructor(private readonly store: SandboxStore) {}

  /** Number of requests currently delayed or held (for tests). */
  get pending(): number {
    return this.waiting.size;
  }

  /**
   * Applies the current faults to one request: waits `latencyMs`, then maybe holds it until the
   * client goes away (timeoutRate) or answers an error (errorRate). Returns the fault's answer,
   * or null to carry on normally.
   */
  async apply(signal: AbortSignal): Promise<Response | null> {
    const f = this.store.faults;
    if (f.latencyMs && f.latencyMs > 0) {
      const completed = await this.wait(signal, f.latencyMs);
      if (!completed) return new Response(null, { status: 499 });
    }
    const rng = this.store.faultRng;
    if (f.timeoutRate && rng.next() < f.timeoutRate) {
      await this.wait(signal, null);
      // The client is gone (or the sandbox is closing): nobody reads this.
      return new Response(null, { status: 499 });
    }
    if (f.errorRate && rng.next() < f.errorRate) {
      const status = f.errorStatus ?? 503;
      return problemResponse(genericProblem(status), status);
    }
    return null;
  }

  /** Whether the next post of a bookmarks page is served malformed (malformedRate). */
  malformedPost(): boolean {
    const rate = this.store.faults.malformedRate;
    return rate !== undefined && rate > 0 && this.store.faultRng.next() < rate;
  }

  /** Resolves true after `ms` (null: never), or false early when the request is aborted or released. */
  private wait(signal: AbortSignal, ms: number | null): Promise<boolean> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve(false);
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = (completed: boolean) => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        this.waiting.delete(release);
        resolve(completed);
      };
      const onAbort = () => done(false);
      const release = () => done(false);
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiting.add(release);
      if (ms !== null) timer = setTimeout(() => done(true), ms);
    });
  }

  /** Ends every delay and held request (on close). */
  releaseAll(): void {
    for (const release of [...this.waiting]) release();
  }
}
