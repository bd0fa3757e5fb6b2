import type { Db } from "~/server/db";
import { isListedAdmin, normalizeHandle } from "./handles";

export interface AdminConfig {
  /** ADMIN_X_IDS: X user ids, matched at every log-in. */
  xIds: readonly string[];
  /** ADMIN_HANDLES (normalised): matched only at the handle's first grant. */
  handles: readonly string[];
}

export type LoginAdminDecision = "x-id" | "handle" | "handle-taken" | "no";

/**
 * Whether the X account logging in is a configured admin. By id (ADMIN_X_IDS) always; by handle
 * (ADMIN_HANDLES) only for the X id that held the handle when it was first granted: the first
 * log-in under a listed handle stores its id (AdminHandleGrant), and another X account that later
 * gets the same handle ("handle-taken") gains nothing. Concurrent first log-ins: one row wins.
 */
export async function loginAdminDecision(
  db: Db,
  config: AdminConfig,
  who: { xId: string; handle: string | null },
): Promise<LoginAdminDecision> {
  if (config.xIds.includes(who.xId)) return "x-id";
  if (!who.handle || !isListedAdmin(config.handles, who.handle)) return "no";
  const handle = normalizeHandle(who.handle);
  await db.adminHandleGrant.createMany({ data: [{ handle, xId: who.xId }], skipDuplicates: true });
  const grant = await db.adminHandleGrant.findUniqueOrThrow({ where: { handle } });
  return grant.xId === who.xId ? "handle" : "handle-taken";
}
