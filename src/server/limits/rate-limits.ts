import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { createLogger } from "~/server/logger";
import { webMetrics } from "~/server/metrics";
import { limitedKeys, recordRefusal } from "./refusals";

/**
 * Per-user and per-IP limits (issue 12), counted in Redis so every web process shares them
 * (rate-limiter-flexible's RateLimiterRedis: one atomic INCR+TTL script per call).
 *
 * Redis down: each limiter falls back to an in-memory limiter of the same size in this process
 * (the library's insuranceLimiter), logged at most every 30 s. Failing closed would lock everyone
 * out whenever Redis blinks; failing fully open would lift every limit exactly when the service is
 * weakest. Per process, the limits still hold (N web processes allow up to N times as much).
 */

export const limitNames = ["calls", "syncStarts", "exports", "exportSlot", "login", "imports", "importSlot"] as const;
export type LimitName = (typeof limitNames)[number];
export type Subject = { kind: "user" | "ip"; id: string };

export interface LimitSettings {
  callsPerMinute: number;
  syncStartsPerHour: number;
  exportsPerHour: number;
  /** Log-in attempts (sign-in starts and callbacks) per IP per 15 minutes. */
  loginsPerIp: number;
  /** An export's slot is held at most this long (its time budget), even if its process dies. */
  exportMaxSeconds: number;
  /** Import file uploads per user per hour. */
  importsPerHour: number;
}

/**
 * An upload's slot (one per user) is held at most this long should its process die: the upload
 * of IMPORT_MAX_BYTES plus staging, whose statement is cut at 300 s (import/stage.ts).
 */
export const IMPORT_SLOT_SECONDS = 900;

type SlotName = "exportSlot" | "importSlot";

/** A limit was reached: the caller should try again in `retryAfterSeconds`. */
export class RateLimitedError extends Error {
  override name = "RateLimitedError";
  constructor(
    readonly limit: LimitName,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message);
  }
}

const logger = createLogger("rate-limits");
const WARN_EVERY_MS = 30_000;
let lastWarnAt = Number.NEGATIVE_INFINITY;

/** The in-process stand-in used while Redis does not answer; says so in the log (throttled). */
class FallbackLimiter extends RateLimiterMemory {
  override consume(key: string | number, points?: number, options?: { [key: string]: unknown }): Promise<RateLimiterRes> {
    const now = Date.now();
    if (now - lastWarnAt >= WARN_EVERY_MS) {
      lastWarnAt = now;
      logger.warn({ limiter: this.keyPrefix }, "rate limits: Redis did not answer; limiting in this process only");
    }
    return super.consume(key, points, options);
  }
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
const plural = (n: number, word: string) => `${n.toLocaleString("en")} ${word}${n === 1 ? "" : "s"}`;

export class RateLimits {
  private readonly limiters: Record<Exclude<LimitName, SlotName>, RateLimiterRedis>;
  private readonly slots: Record<SlotName, RateLimiterRedis>;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    readonly settings: LimitSettings,
  ) {
    const make = (name: LimitName, points: number, duration: number) =>
      new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: limitedKeys.counter(prefix, name),
        points,
        duration,
        // Reconnecting: go to the in-memory limiter at once rather than wait for a timeout.
        rejectIfRedisNotReady: true,
        insuranceLimiter: new FallbackLimiter({ keyPrefix: `${name}-fallback`, points, duration }),
      });
    this.limiters = {
      calls: make("calls", settings.callsPerMinute, 60),
      syncStarts: make("syncStarts", settings.syncStartsPerHour, 3600),
      exports: make("exports", settings.exportsPerHour, 3600),
      login: make("login", settings.loginsPerIp, 900),
      imports: make("imports", settings.importsPerHour, 3600),
    };
    // One running export (and one import upload) per user: a single point, given back when the
    // work ends, and expiring with its time budget should its process die first.
    this.slots = {
      exportSlot: make("exportSlot", 1, settings.exportMaxSeconds + 30),
      importSlot: make("importSlot", 1, IMPORT_SLOT_SECONDS),
    };
  }

  /** Resolves once Redis is connected (until then, counts go to the in-memory fallback). */
  async whenConnected(): Promise<void> {
    if (this.redis.status !== "ready") await new Promise((resolve) => this.redis.once("ready", resolve));
  }

  /** Counts one call against `name` for `subject`; throws RateLimitedError when over the limit. */
  async consume(name: Exclude<LimitName, SlotName>, subject: Subject): Promise<void> {
    try {
      await this.limiters[name].consume(subject.id);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) {
        // Neither Redis nor the fallback answered (should not happen): let the call through.
        logger.error({ err: e, limit: name }, "rate limits: could not count a call; allowing it");
        return;
      }
      throw this.refuse(name, subject, seconds(e.msBeforeNext));
    }
  }

  /**
   * Takes the user's one export slot, or throws RateLimitedError (an export is already running).
   * Returns the release function: call it once the export ends, however it ends.
   */
  acquireExportSlot(userId: string): Promise<() => Promise<void>> {
    return this.acquireSlot("exportSlot", userId);
  }

  /** The same for an import file's upload and staging (one at a time per user). */
  acquireImportSlot(userId: string): Promise<() => Promise<void>> {
    return this.acquireSlot("importSlot", userId);
  }

  private async acquireSlot(name: SlotName, userId: string): Promise<() => Promise<void>> {
    const subject: Subject = { kind: "user", id: userId };
    const slot = this.slots[name];
    try {
      await slot.consume(userId);
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) {
        logger.error({ err: e, limit: name }, "rate limits: could not take a slot; allowing the work");
        return async () => undefined;
      }
      throw this.refuse(name, subject, 5);
    }
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      await slot.delete(userId).catch((err: unknown) => logger.warn({ err, userId, limit: name }, "rate limits: could not free a slot"));
    };
  }

  private refuse(name: LimitName, subject: Subject, retryAfterSeconds: number): RateLimitedError {
    webMetrics().rateLimited(name);
    void recordRefusal(this.redis, this.prefix, name, subject).catch(() => undefined);
    return new RateLimitedError(name, retryAfterSeconds, this.message(name, retryAfterSeconds));
  }

  private message(name: LimitName, retryAfter: number): string {
    const s = this.settings;
    const wait = `Try again in ${retryAfter < 120 ? plural(retryAfter, "second") : plural(Math.ceil(retryAfter / 60), "minute")}.`;
    switch (name) {
      case "calls":
        return `Too many requests: at most ${plural(s.callsPerMinute, "request")} a minute. ${wait}`;
      case "syncStarts":
        return `You have started ${plural(s.syncStartsPerHour, "sync")} in the last hour, the most allowed. ${wait}`;
      case "exports":
        return `You have exported ${plural(s.exportsPerHour, "time")} in the last hour, the most allowed. ${wait}`;
      case "exportSlot":
        return "One of your exports is still running: wait for it to finish (or cancel it), then try again.";
      case "login":
        return `Too many log-in attempts from your network. ${wait}`;
      case "imports":
        return `You have uploaded ${plural(s.importsPerHour, "import file")} in the last hour, the most allowed. ${wait}`;
      case "importSlot":
        return "One of your import files is still being read: wait for it to finish, then upload the next one.";
    }
  }
}
