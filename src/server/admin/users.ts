import { TRPCError } from "@trpc/server";
import { Prisma, type SyncMode, type SyncStatus, type SyncTrigger } from "~/generated/prisma/client";
import { externalUrl } from "~/lib/safe-url";
import type { SyncModeName } from "~/server/sync/queue";
import { QueueBusyError, startSync } from "~/server/sync/start";
import { extraMediaOrigins } from "~/server/x/config";
import { X_PROVIDER } from "~/server/x/tokens";
import { recordAudit, type Actor } from "./audit";
import type { AdminDeps } from "./queues";
import { userSyncStatus } from "./status";

interface LatestRunRow {
  userId: string;
  id: string;
  mode: SyncMode;
  trigger: SyncTrigger;
  status: SyncStatus;
  waitingUntil: Date | null;
  error: string | null;
  queuedAt: Date;
  finishedAt: Date | null;
}

/** Users, newest first, with library size, last sync and a status; optionally matching a search. */
export async function listUsers(deps: AdminDeps, q: { offset: number; limit: number; query?: string }) {
  const term = q.query?.trim().replace(/^@/, "");
  const where: Prisma.UserWhereInput = term
    ? { OR: [{ id: term }, { handle: { contains: term, mode: "insensitive" } }, { name: { contains: term, mode: "insensitive" } }] }
    : {};
  const [users, total] = await Promise.all([
    deps.db.user.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: q.offset,
      take: q.limit,
      select: {
        id: true,
        handle: true,
        name: true,
        image: true,
        role: true,
        createdAt: true,
        lastSyncedAt: true,
        freshnessMinutes: true,
        accounts: { where: { provider: X_PROVIDER }, select: { needsReauthAt: true }, take: 1 },
      },
    }),
    deps.db.user.count({ where }),
  ]);
  const ids = users.map((u) => u.id);
  const [counts, latest] = ids.length
    ? await Promise.all([
        deps.db.bookmark.groupBy({ by: ["userId"], where: { userId: { in: ids }, deletedAt: null }, _count: { _all: true } }),
        deps.db.$queryRaw<LatestRunRow[]>`
          SELECT DISTINCT ON ("userId") "userId", id, mode, trigger, status, "waitingUntil", error, "queuedAt", "finishedAt"
          FROM "SyncRun" WHERE "userId" IN (${Prisma.join(ids)})
          ORDER BY "userId", "queuedAt" DESC`,
      ])
    : [[], []];
  const countBy = new Map(counts.map((c) => [c.userId, c._count._all]));
  const latestBy = new Map(latest.map((r) => [r.userId, r]));
  const now = Date.now();
  return {
    items: users.map((u) => {
      const run = latestBy.get(u.id) ?? null;
      const account = u.accounts[0] ?? null;
      return {
        id: u.id,
        handle: u.handle,
        name: u.name,
        image: externalUrl(u.image, extraMediaOrigins),
        role: u.role,
        createdAt: u.createdAt,
        bookmarkCount: countBy.get(u.id) ?? 0,
        /** When a sync last succeeded. */
        lastSyncedAt: u.lastSyncedAt,
        freshnessMinutes: u.freshnessMinutes,
        status: userSyncStatus(run, account, now),
        needsReauthAt: account?.needsReauthAt ?? null,
        latestRun: run
          ? {
              id: run.id,
              mode: run.mode,
              trigger: run.trigger,
              status: run.status,
              waitingUntil: run.waitingUntil,
              error: run.error,
              queuedAt: run.queuedAt,
              finishedAt: run.finishedAt,
            }
          : null,
      };
    }),
    total,
    offset: q.offset,
    limit: q.limit,
  };
}

/** Starts a sync for a user through the same path as their own Sync button (at most one open run). */
export async function startSyncFor(deps: AdminDeps, actor: Actor, q: { userId: string; mode: SyncModeName }) {
  const user = await deps.db.user.findUnique({
    where: { id: q.userId },
    select: { id: true, handle: true, accounts: { where: { provider: X_PROVIDER }, select: { needsReauthAt: true }, take: 1 } },
  });
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: `There is no user ${q.userId}.` });
  const account = user.accounts[0];
  if (!account || account.needsReauthAt) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "This user's X login has expired; they must log in with X again before anything can sync.",
    });
  }
  let result: Awaited<ReturnType<typeof startSync>>;
  try {
    result = await startSync(deps, q.userId, q.mode);
  } catch (e) {
    if (e instanceof QueueBusyError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: e.message, cause: e });
    throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The sync queue is unavailable; try again in a moment.", cause: e });
  }
  const { run, created } = result;
  await recordAudit(deps.db, actor, {
    action: "user.startSync",
    queue: deps.syncQueue.name,
    jobId: run.jobId ?? run.id,
    detail: { userId: q.userId, handle: user.handle, mode: q.mode, created, runId: run.id },
  });
  return { runId: run.id, jobId: run.jobId ?? run.id, created, mode: q.mode };
}
