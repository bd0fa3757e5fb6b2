import type { Redis } from "ioredis";
import { redisKeys } from "./sync/events";

/**
 * "This user's sessions or role changed" (log-out, demotion), through Redis pub/sub so every
 * web process hears it: their sockets re-check the session at once (ws.ts) and admin
 * subscriptions re-check the role (api/routers/admin.ts). Fire and forget: a socket that misses
 * it still re-checks within WS_SESSION_CHECK_MS.
 */
export async function publishSessionsChanged(redis: Redis, userId: string): Promise<void> {
  await redis.publish(redisKeys.sessionsChanged(userId), "changed");
}
