import type { Prisma } from "~/generated/prisma/client";
import type { Db } from "~/server/db";

/** What an admin can do in the console; each one leaves an AuditLog row. */
export const auditActions = [
  "job.retry",
  "job.retryAllFailed",
  "job.remove",
  "job.promote",
  "queue.pause",
  "queue.resume",
  "queue.clean",
  "user.startSync",
] as const;
export type AuditAction = (typeof auditActions)[number];

export interface Actor {
  id: string;
  handle: string | null;
}

export interface AuditEntry {
  action: AuditAction;
  /** The BullMQ queue's name. */
  queue: string;
  jobId?: string | null;
  detail?: Prisma.InputJsonObject;
}

type Writer = Pick<Db, "auditLog">;

/** Records an admin action (call it in the request that performed the action, after it succeeded). */
export async function recordAudit(db: Writer, actor: Actor, entry: AuditEntry) {
  return db.auditLog.create({
    data: {
      actorId: actor.id,
      actorHandle: actor.handle,
      action: entry.action,
      queue: entry.queue,
      jobId: entry.jobId ?? null,
      detail: entry.detail ?? {},
    },
  });
}

export interface AuditQuery {
  offset: number;
  limit: number;
  queue?: string;
  jobId?: string;
  actorId?: string;
  action?: AuditAction;
}

/** The audit log, newest first, with paging and optional filters. */
export async function listAudit(db: Db, q: AuditQuery) {
  const where: Prisma.AuditLogWhereInput = {
    ...(q.queue && { queue: q.queue }),
    ...(q.jobId && { jobId: q.jobId }),
    ...(q.actorId && { actorId: q.actorId }),
    ...(q.action && { action: q.action }),
  };
  const [rows, total] = await Promise.all([
    db.auditLog.findMany({ where, orderBy: [{ at: "desc" }, { id: "desc" }], skip: q.offset, take: q.limit }),
    db.auditLog.count({ where }),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id.toString(),
      at: r.at,
      actor: { id: r.actorId, handle: r.actorHandle },
      action: r.action as AuditAction,
      queue: r.queue,
      jobId: r.jobId,
      detail: r.detail,
    })),
    total,
    offset: q.offset,
    limit: q.limit,
  };
}
