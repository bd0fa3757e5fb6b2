import { Redis, type RedisOptions } from "ioredis";
import { env } from "~/env";

/**
 * Redis connections by role. BullMQ workers block on Redis and must never give up on a command
 * (`maxRetriesPerRequest: null`); the web fails fast instead of queueing commands while Redis is
 * down, so a request gets a clear error rather than hanging.
 */
export type RedisRole = "worker" | "producer" | "subscriber" | "client";

export function createRedis(role: RedisRole, url: string = env.REDIS_URL): Redis {
  const base: RedisOptions = { lazyConnect: false, connectionName: `xb-${role}` };
  switch (role) {
    case "worker":
    case "subscriber":
      return new Redis(url, { ...base, maxRetriesPerRequest: null });
    case "producer":
      return new Redis(url, { ...base, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    case "client":
      return new Redis(url, { ...base, maxRetriesPerRequest: 2 });
  }
}

/** `p`, or a rejection once `ms` have passed without an answer (a hung Redis must not hang a request). */
export function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  // race() also handles a late rejection of `p`, so nothing is left unhandled.
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
