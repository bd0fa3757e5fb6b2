import type { Redis } from "ioredis";
import type { LimitName, Subject } from "./rate-limits";

/**
 * Who is being limited, for the admin console: every refusal (a 429) is counted per limit and
 * subject in hourly sorted sets kept for a day, and the subject's latest refusal time in one more.
 * Bounded: one member per (limit, subject) per hour, every key expiring.
 */

const HOUR_MS = 3_600_000;
const KEEP_HOURS = 24;

/** Redis keys of the limits (under the app's prefix, BULLMQ_PREFIX, like the worker's keys). */
export const limitedKeys = {
  /** rate-limiter-flexible's counters of one limit (it appends `:<subject id>`). */
  counter: (prefix: string, name: LimitName) => `${prefix}:rl:${name}`,
  /** Refusals in one hour: member `<limit>|<user|ip>|<id>`, score the count. */
  hour: (prefix: string, hourIndex: number) => `${prefix}:rl-refused:h:${hourIndex}`,
  /** Latest refusal per member, score epoch ms. */
  last: (prefix: string) => `${prefix}:rl-refused:last`,
};

const member = (name: LimitName, s: Subject) => `${name}|${s.kind}|${s.id}`;

export async function recordRefusal(redis: Redis, prefix: string, name: LimitName, subject: Subject, now = Date.now()): Promise<void> {
  const m = member(name, subject);
  const hourKey = limitedKeys.hour(prefix, Math.floor(now / HOUR_MS));
  const lastKey = limitedKeys.last(prefix);
  await redis
    .multi()
    .zincrby(hourKey, 1, m)
    .expire(hourKey, (KEEP_HOURS + 1) * 3600)
    .zadd(lastKey, now, m)
    .zremrangebyscore(lastKey, "-inf", now - KEEP_HOURS * HOUR_MS)
    .expire(lastKey, (KEEP_HOURS + 1) * 3600)
    .exec();
}

export interface LimitedSubject {
  limit: LimitName;
  kind: "user" | "ip";
  /** A user id or an IP address. */
  id: string;
  /** Refusals in the last 24 hours (whole hours). */
  count: number;
  lastAt: Date;
}

/** Subjects refused in the last day, most recently refused first. */
export async function recentRefusals(redis: Redis, prefix: string, now = Date.now(), max = 200): Promise<LimitedSubject[]> {
  const lastKey = limitedKeys.last(prefix);
  const latest = await redis.zrevrangebyscore(lastKey, "+inf", String(now - KEEP_HOURS * HOUR_MS), "WITHSCORES", "LIMIT", 0, max);
  if (latest.length === 0) return [];
  const current = Math.floor(now / HOUR_MS);
  const pipeline = redis.pipeline();
  for (let h = current - KEEP_HOURS + 1; h <= current; h++) pipeline.zrange(limitedKeys.hour(prefix, h), "0", "-1", "WITHSCORES");
  const counts = new Map<string, number>();
  for (const [err, flat] of (await pipeline.exec()) ?? []) {
    if (err || !Array.isArray(flat)) continue;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const m = String(flat[i]);
      counts.set(m, (counts.get(m) ?? 0) + Number(flat[i + 1]));
    }
  }
  const out: LimitedSubject[] = [];
  for (let i = 0; i + 1 < latest.length; i += 2) {
    const m = latest[i]!;
    const [limit, kind, ...rest] = m.split("|");
    if (!limit || (kind !== "user" && kind !== "ip")) continue;
    out.push({ limit: limit as LimitName, kind, id: rest.join("|"), count: counts.get(m) ?? 1, lastAt: new Date(Number(latest[i + 1])) });
  }
  return out;
}
