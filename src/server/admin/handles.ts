/** X handles as people type them: "@Alice", "alice", " ALICE " all name the same account. */
export function normalizeHandle(handle: string): string {
  return handle.trim().replace(/^@/, "").toLowerCase();
}

/** Whether `handle` is one of the configured admin handles (ADMIN_HANDLES, already normalised). */
export function isListedAdmin(adminHandles: readonly string[], handle: string | null | undefined): boolean {
  return !!handle && adminHandles.includes(normalizeHandle(handle));
}
