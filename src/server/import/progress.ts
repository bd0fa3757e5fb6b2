import type { Import } from "~/generated/prisma/client";
import { jobPhase } from "~/server/sync/progress";
import type { ImportProgressEvent, SyncPhase } from "~/shared/sync";

/** The event the Import page renders, from the import's stored counts. */
export function importProgressEvent(
  imp: Import,
  phase: SyncPhase,
  extras: { message?: string | null; resumeAt?: Date | null } = {},
): ImportProgressEvent {
  const finished = phase === "done";
  const total = imp.total;
  return {
    importId: imp.id,
    userId: imp.userId,
    kind: imp.kind === "ARCHIVE" ? "archive" : "exporter",
    phase,
    total,
    parsed: Math.min(imp.position, total),
    fetched: imp.fetched,
    saved: imp.saved,
    skipped: imp.skipped,
    deletedOnX: imp.deletedOnX,
    apiCalls: imp.apiCalls,
    costUsd: imp.costUsd,
    percent: finished ? 100 : total > 0 ? Math.min(99, Math.round((Math.min(imp.position, total) / total) * 1000) / 10) : 0,
    message: extras.message ?? (phase === "failed" ? imp.error : null),
    resumeAt: (extras.resumeAt ?? imp.waitingUntil)?.toISOString() ?? null,
    at: new Date().toISOString(),
  };
}

/** The phase a stored import is in, for a page that joins mid-way (an import's waits are X's rate limit). */
export function importPhase(imp: Import): SyncPhase {
  return jobPhase(imp.status, { until: imp.waitingUntil, kind: "rate_limit" });
}
