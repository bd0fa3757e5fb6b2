import type { Worker } from "bullmq";
import { importProgressEvent } from "~/server/import/progress";
import { channels } from "~/server/sync/events";
import { IMPORT_QUEUE, importJobData, type ImportJobData } from "~/server/sync/queue";
import { appendRunErrors } from "~/server/sync/run-errors";
import { runImport, type ImportServices } from "./import-job";
import { createRunWorker, type SyncWorkerOptions } from "./sync-worker";

/** The BullMQ worker for `bookmark-import`: the same job semantics as sync (waits, pauses, retries). */
export function createImportWorker(
  o: Omit<SyncWorkerOptions, "services"> & { services: ImportServices },
): Worker<ImportJobData, void, "import"> {
  return createRunWorker<ImportJobData, "import">(IMPORT_QUEUE, o, {
    ids: (data) => ({ userId: data.userId, importId: data.importId }),
    run: async (job, control, log) => {
      const imp = await runImport(o.services, importJobData.parse(job.data), control);
      log?.info({ status: imp?.status, saved: imp?.saved, fetched: imp?.fetched }, "import job finished");
    },
    closeRun: async (job, reason) => {
      const s = o.services;
      const imp = await s.db.import.findUnique({ where: { id: job.data.importId } });
      if (!imp || imp.status === "SUCCEEDED" || imp.status === "FAILED") return;
      const message = `Import failed: ${reason}`;
      const failed = await s.db.import.update({
        where: { id: imp.id },
        data: {
          status: "FAILED",
          error: message,
          finishedAt: new Date(),
          errors: appendRunErrors(imp.errors, [{ kind: "failed", message }]),
        },
      });
      await s.redis.publish(channels.importProgress(failed.userId), JSON.stringify(importProgressEvent(failed, "failed", { message })));
    },
  });
}
