import type { Redis } from "ioredis";

/**
 * When each person uses the library, learned from their own reads: an hour-of-week histogram (a
 * Redis hash of at most 168 small counters per user) and one sorted set of active users by last
 * use. The scheduled cache warm (warm.ts) reads them to prepare a person's library shortly before
 * the hour they usually open it. Hours are UTC: a habit is the same hour every week, whatever the
 * person's time zone.
 */

export const usageKeys = {
  /** Hash: hour of week (0 = Monday 00:00 UTC … 167) → visits counted in that hour. */
  hours: (userId: string) => `xb:lib:${userId}:hours`,
  /** Sorted set: user id → last hour (ms) a read was recorded. */
  active: "xb:lib-usage:active",
};

/** A user who has not opened the library for this long is no longer warmed (and their histogram expires). */
export const USAGE_TTL_SECONDS = 35 * 24 * 3600;
/** Once a slot reaches this count, every slot is halved: recent weeks weigh more, and counters stay small. */
const DECAY_AT = 64;
/** Visits in an hour of the week (over past weeks) that make it a person's usual hour. */
export const USUAL_MIN_VISITS = 2;

const HOUR_MS = 3600_000;
const WEEK_HOURS = 168;

/** The hour of the week of `at`, Monday 00:00 UTC = 0. */
export function hourOfWeek(at: Date): number {
  return ((at.getUTCDay() + 6) % 7) * 24 + at.getUTCHours();
}

// One round trip: count the visit, decay when a counter grows large, keep the user active.
const RECORD_SCRIPT = `
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
if n >= tonumber(ARGV[4]) then
  local all = redis.call('HGETALL', KEYS[1])
  for i = 1, #all, 2 do
    local half = math.floor(tonumber(all[i + 1]) / 2)
    if half > 0 then redis.call('HSET', KEYS[1], all[i], half) else redis.call('HDEL', KEYS[1], all[i]) end
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[5])
return n`;

/**
 * Counts one visit in the hour of `at`. The caller counts a user at most once per hour (the
 * library cache keeps that in memory), so a busy hour counts as one visit, not as many reads.
 */
export async function recordLibraryAccess(redis: Redis, userId: string, at = new Date()): Promise<void> {
  const hourStart = Math.floor(at.getTime() / HOUR_MS) * HOUR_MS;
  await redis.eval(
    RECORD_SCRIPT,
    2,
    usageKeys.hours(userId),
    usageKeys.active,
    String(hourOfWeek(at)),
    String(hourStart),
    String(USAGE_TTL_SECONDS),
    String(DECAY_AT),
    userId,
  );
}

/** Whether the hour of week `slot` is a usual one in this histogram. */
export function isUsualHour(histogram: Record<string, string>, slot: number): boolean {
  return Number(histogram[String(slot % WEEK_HOURS)] ?? 0) >= USUAL_MIN_VISITS;
}

/**
 * Users active in the last USAGE_TTL_SECONDS whose usual hours include the hour `lookaheadMs`
 * from `now` (the scheduled warm runs that much before their visit). Reads the histograms in
 * pipelined chunks.
 */
export async function usersDueForWarm(redis: Redis, now: Date, lookaheadMs: number): Promise<string[]> {
  const since = now.getTime() - USAGE_TTL_SECONDS * 1000;
  await redis.zremrangebyscore(usageKeys.active, "-inf", `(${since}`);
  const users = await redis.zrangebyscore(usageKeys.active, since, "+inf");
  const slot = hourOfWeek(new Date(now.getTime() + lookaheadMs));
  const due: string[] = [];
  for (let i = 0; i < users.length; i += 200) {
    const chunk = users.slice(i, i + 200);
    const pipe = redis.pipeline();
    for (const u of chunk) pipe.hgetall(usageKeys.hours(u));
    const results = (await pipe.exec()) ?? [];
    chunk.forEach((u, j) => {
      const [err, hist] = results[j] ?? [];
      if (!err && hist && isUsualHour(hist as Record<string, string>, slot)) due.push(u);
    });
  }
  return due;
}
