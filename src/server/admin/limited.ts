import { recentRefusals } from "~/server/limits/refusals";
import type { AdminDeps } from "./queues";

/**
 * Who the limits refused in the last 24 hours (admin console, Limits page): per limit and user or
 * IP, the refusals counted and the latest, with the user's handle where it is a user.
 */
export async function limitedSubjects(deps: Pick<AdminDeps, "db" | "redis" | "prefix">) {
  const rows = await recentRefusals(deps.redis, deps.prefix);
  const userIds = [...new Set(rows.filter((r) => r.kind === "user").map((r) => r.id))];
  const users = userIds.length ? await deps.db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, handle: true } }) : [];
  const handle = new Map(users.map((u) => [u.id, u.handle]));
  return { at: new Date(), rows: rows.map((r) => ({ ...r, handle: r.kind === "user" ? (handle.get(r.id) ?? null) : null })) };
}
