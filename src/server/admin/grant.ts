import type { Role } from "~/generated/prisma/client";
import type { Db } from "~/server/db";
import { isListedAdmin, normalizeHandle } from "./handles";

export type GrantResult =
  { ok: true; changed: boolean; user: { id: string; handle: string | null; role: Role }; message: string } | { ok: false; message: string };

/**
 * Sets the role of the user with this X handle (`npm run admin:grant -- @handle [--revoke]`).
 * The user must exist: people are created when they first log in with X. `roleChanged` is told
 * after a change (it publishes "sessions changed", so open sockets and admin subscriptions of
 * that user re-check at once); its failure does not undo the change.
 */
export async function setRoleByHandle(
  db: Db,
  rawHandle: string,
  role: Role,
  adminHandles: readonly string[] = [],
  roleChanged?: (userId: string) => Promise<void>,
): Promise<GrantResult> {
  const handle = normalizeHandle(rawHandle);
  if (!/^\w{1,15}$/.test(handle)) return { ok: false, message: `"${rawHandle}" is not an X handle (letters, digits and _, up to 15).` };
  const users = await db.user.findMany({
    where: { handle: { equals: handle, mode: "insensitive" } },
    select: { id: true, handle: true, role: true },
  });
  if (users.length === 0) {
    return {
      ok: false,
      message: `No user @${handle} yet. They must log in with X once (which creates their account); then run this again.`,
    };
  }
  if (users.length > 1) {
    return { ok: false, message: `Several users have the handle @${handle} (${users.map((u) => u.id).join(", ")}); sort that out first.` };
  }
  const user = users[0]!;
  const what = role === "ADMIN" ? "an admin" : "a regular user";
  if (user.role === role)
    return { ok: true, changed: false, user, message: `@${user.handle ?? handle} is already ${what}; nothing changed.` };
  const updated = await db.user.update({ where: { id: user.id }, data: { role }, select: { id: true, handle: true, role: true } });
  const told = await (roleChanged?.(user.id).then(
    () => true,
    () => false,
  ) ?? true);
  return {
    ok: true,
    changed: true,
    user: updated,
    message:
      role === "ADMIN"
        ? `@${updated.handle ?? handle} is now an admin (the admin console is at /admin).`
        : `@${updated.handle ?? handle} is no longer an admin.${
            isListedAdmin(adminHandles, handle) ? " Note: ADMIN_HANDLES lists them, so their next login makes them an admin again." : ""
          }${told ? "" : " Open pages could not be told (Redis unreachable): they notice within a minute."}`,
  };
}
