import type { Metrics } from "bullmq";

const MINUTE = 60_000;

/** One minute of a queue's throughput: jobs that completed and failed in it. */
export interface MinutePoint {
  /** Start of the minute. */
  at: Date;
  completed: number;
  failed: number;
}

/**
 * Jobs per minute for each of the last `minutes` minutes (oldest first, the current minute last)
 * from BullMQ's metrics, which are kept lazily: `data[k]` counts the minute k+1 before the last
 * time a finished job found the minute had changed (`meta.prevTS`), and the jobs finished since
 * then (`meta.count - meta.prevCount`) all fell in prevTS's minute, or a later job would have
 * flushed them. Minutes after that one saw no finished job.
 */
export function perMinute(metrics: Pick<Metrics, "meta" | "data"> | null, now: number, minutes = 60): number[] {
  const out = new Array<number>(minutes).fill(0);
  if (!metrics || !metrics.meta.prevTS) return out;
  const nowMinute = Math.floor(now / MINUTE);
  const flushMinute = Math.floor(metrics.meta.prevTS / MINUTE);
  const place = (minute: number, count: number) => {
    const i = minutes - 1 - (nowMinute - minute);
    if (i >= 0 && i < minutes && count > 0) out[i]! += count;
  };
  place(Math.min(flushMinute, nowMinute), Math.max(0, metrics.meta.count - metrics.meta.prevCount));
  metrics.data.forEach((count, k) => place(flushMinute - 1 - k, count));
  return out;
}

/** The completed and failed series side by side, one point per minute, oldest first. */
export function minuteSeries(
  completed: Pick<Metrics, "meta" | "data"> | null,
  failed: Pick<Metrics, "meta" | "data"> | null,
  now: number,
  minutes = 60,
): MinutePoint[] {
  const c = perMinute(completed, now, minutes);
  const f = perMinute(failed, now, minutes);
  const first = (Math.floor(now / MINUTE) - (minutes - 1)) * MINUTE;
  return c.map((completedCount, i) => ({ at: new Date(first + i * MINUTE), completed: completedCount, failed: f[i]! }));
}
