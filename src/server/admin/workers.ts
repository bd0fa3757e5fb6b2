import { redisKeys } from "~/server/sync/events";
import { readUserRateLimits, scanKeys } from "~/server/sync/rate-limit-state";
import { parseWorkerName } from "~/server/sync/worker-name";
import { QUEUE_KEYS, type QueueKey } from "~/shared/queues";
import { queueOf, type AdminDeps } from "./queues";

export interface WorkerInfo {
  queue: QueueKey;
  workerId: string;
  /** Jobs it runs at once (null: a worker that does not say). */
  concurrency: number | null;
  /** Its Redis connection's address. */
  addr: string | null;
  connectedSince: Date | null;
  /** Its last command to Redis: a live worker polls at least every few seconds. */
  lastSeenAt: Date | null;
}

/** BullMQ's worker list (CLIENT LIST entries named after the Worker's `name`). */
export async function connectedWorkers(deps: AdminDeps, now = Date.now()): Promise<WorkerInfo[]> {
  const lists = await Promise.all(QUEUE_KEYS.map(async (key) => ({ key, clients: await queueOf(deps, key).getWorkers() })));
  return lists.flatMap(({ key, clients }) =>
    clients.map((c) => {
      const { workerId, concurrency } = parseWorkerName(c.rawname ?? "");
      const age = Number(c.age);
      const idle = Number(c.idle);
      return {
        queue: key,
        workerId,
        concurrency,
        addr: c.addr ?? null,
        connectedSince: Number.isFinite(age) ? new Date(now - age * 1000) : null,
        lastSeenAt: Number.isFinite(idle) ? new Date(now - idle * 1000) : null,
      };
    }),
  );
}

export interface BreakerInfo {
  workerId: string;
  state: "closed" | "open" | "half_open";
  retryAt: string | null;
  openedAt: string | null;
  consecutiveFailures: number;
  opens: number;
  /** When the worker last wrote it (it does every 20 s and on every change). */
  at: string | null;
}

/** Each worker's X circuit breaker, from the keys the workers keep fresh (SCAN, not KEYS). */
export async function breakers(deps: AdminDeps): Promise<BreakerInfo[]> {
  const keys = await scanKeys(deps.redis, redisKeys.breakerPattern(deps.prefix), 1_000);
  if (keys.length === 0) return [];
  const values = await deps.redis.mget(...keys);
  const out: BreakerInfo[] = [];
  values.forEach((v, i) => {
    if (!v) return;
    try {
      const s = JSON.parse(v) as Partial<BreakerInfo>;
      out.push({
        workerId: s.workerId ?? keys[i]!.slice(redisKeys.breaker(deps.prefix, "").length),
        state: s.state === "open" || s.state === "half_open" ? s.state : "closed",
        retryAt: s.retryAt ?? null,
        openedAt: s.openedAt ?? null,
        consecutiveFailures: s.consecutiveFailures ?? 0,
        opens: s.opens ?? 0,
        at: s.at ?? null,
      });
    } catch {
      // not ours
    }
  });
  return out.sort((a, b) => a.workerId.localeCompare(b.workerId));
}

/** Users' X rate-limit state (from X's last answers to the workers), with their handles. */
export async function rateLimits(deps: AdminDeps) {
  const limits = await readUserRateLimits(deps.redis, deps.prefix);
  const users = limits.length
    ? await deps.db.user.findMany({ where: { id: { in: limits.map((l) => l.userId) } }, select: { id: true, handle: true } })
    : [];
  const handle = new Map(users.map((u) => [u.id, u.handle]));
  return limits.map((l) => ({ ...l, handle: handle.get(l.userId) ?? null }));
}

/** The job schedulers (the freshness scan) and when each runs next. */
export async function schedulers(deps: AdminDeps) {
  const lists = await Promise.all(QUEUE_KEYS.map(async (key) => ({ key, list: await queueOf(deps, key).getJobSchedulers(0, 99, true) })));
  return lists.flatMap(({ key, list }) =>
    list.map((s) => ({
      queue: key,
      id: s.key,
      name: s.name,
      every: s.every ?? null,
      pattern: s.pattern ?? null,
      next: s.next ? new Date(s.next) : null,
      iterationCount: s.iterationCount ?? null,
    })),
  );
}

/** `INFO memory` as a record (pure). */
export function parseRedisInfo(info: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of info.split(/\r?\n/)) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export async function redisMemory(deps: AdminDeps) {
  const info = parseRedisInfo(await deps.redis.info("memory"));
  const num = (k: string) => (info[k] !== undefined && Number.isFinite(Number(info[k])) ? Number(info[k]) : null);
  const maxmemory = num("maxmemory");
  return {
    usedMemory: num("used_memory"),
    usedMemoryHuman: info.used_memory_human ?? null,
    usedMemoryPeakHuman: info.used_memory_peak_human ?? null,
    /** 0: no limit. */
    maxmemory,
    maxmemoryHuman: info.maxmemory_human ?? null,
    maxmemoryPolicy: info.maxmemory_policy ?? null,
  };
}

export async function postgresConnections(deps: AdminDeps) {
  const [byState, server] = await Promise.all([
    deps.db.$queryRaw<{ state: string; count: number }[]>`
      SELECT coalesce(state, 'background') AS state, count(*)::int AS count
      FROM pg_stat_activity WHERE datname = current_database()
      GROUP BY 1 ORDER BY 2 DESC`,
    deps.db.$queryRaw<{ total: number; max: number }[]>`
      SELECT (SELECT count(*)::int FROM pg_stat_activity WHERE backend_type = 'client backend') AS total,
             current_setting('max_connections')::int AS max`,
  ]);
  return {
    /** This database's connections by state (active, idle, idle in transaction, …). */
    byState,
    database: byState.reduce((s, r) => s + r.count, 0),
    /** Client connections to the whole server, against its limit. */
    serverTotal: server[0]?.total ?? 0,
    maxConnections: server[0]?.max ?? 0,
  };
}

/** One section's answer, or why it could not be had (one failing dependency does not hide the rest). */
async function section<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: string }> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** The workers page: workers, breakers, rate limits, schedulers, Redis memory and Postgres connections. */
export async function workersOverview(deps: AdminDeps, now = Date.now()) {
  const [workers, breakerStates, limits, jobSchedulers, redis, postgres] = await Promise.all([
    section(() => connectedWorkers(deps, now)),
    section(() => breakers(deps)),
    section(() => rateLimits(deps)),
    section(() => schedulers(deps)),
    section(() => redisMemory(deps)),
    section(() => postgresConnections(deps)),
  ]);
  return { at: new Date(now), workers, breakers: breakerStates, rateLimits: limits, schedulers: jobSchedulers, redis, postgres };
}
