import type { Prisma } from "~/generated/prisma/client";

/** One entry of SyncRun.errors: something skipped or a failed attempt, worded for people. */
export interface RunErrorEntry {
  at: string;
  kind: "skipped" | "attempt_failed" | "failed";
  message: string;
  postId?: string | null;
}

/** Bounded: a run with thousands of broken items keeps the first ones as examples. */
export const MAX_RUN_ERRORS = 200;

export function appendRunErrors(existing: Prisma.JsonValue, added: Omit<RunErrorEntry, "at">[]): Prisma.InputJsonValue {
  const at = new Date().toISOString();
  const list = Array.isArray(existing) ? (existing as Prisma.InputJsonValue[]) : [];
  return [...list, ...added.map((e) => ({ ...e, at }) as Prisma.InputJsonValue)].slice(0, MAX_RUN_ERRORS);
}
