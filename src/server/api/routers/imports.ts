import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { userError } from "~/server/api/user-message";
import { importPhase, importProgressEvent } from "~/server/import/progress";
import { previewSentence } from "~/server/import/stage";
import { channels, importProgressEvent as importEventSchema } from "~/server/sync/events";
import { jsonText } from "~/shared/json";

/** A message on the progress channel; one that is not an event is skipped, not thrown. */
const importMessage = jsonText(importEventSchema);

const importId = z.object({ importId: z.string().min(1).max(100) });

/** Imports of archive and exporter files. The file itself goes to POST /api/import (a stream). */
export const importsRouter = createTRPCRouter({
  /** The latest import: its preview sentence while unconfirmed, its progress once confirmed. */
  latest: protectedProcedure.query(async ({ ctx }) => {
    const imp = await ctx.db.import.findFirst({ where: { userId: ctx.session.user.id }, orderBy: { createdAt: "desc" } });
    if (!imp) return null;
    const kind = imp.kind === "ARCHIVE" ? ("archive" as const) : ("exporter" as const);
    return {
      id: imp.id,
      status: imp.status,
      fileName: imp.fileName,
      sentence: previewSentence({ ...imp, kind }),
      progress: importProgressEvent(imp, importPhase(imp)),
    };
  }),

  /** Starts a previewed import (once: a second confirm returns the same job). */
  confirm: protectedProcedure.input(importId).mutation(async ({ ctx, input }) => {
    const userId = ctx.session.user.id;
    const imp = await ctx.db.import.findFirst({ where: { id: input.importId, userId } });
    if (!imp) throw userError("NOT_FOUND", "importGone", "This import is gone: upload the file again.");
    if (imp.status !== "PREVIEW") return { importId: imp.id, status: imp.status };
    // Only a PREVIEW row moves to QUEUED: two confirms cannot queue it twice.
    const moved = await ctx.db.import.updateMany({ where: { id: imp.id, status: "PREVIEW" }, data: { status: "QUEUED", jobId: imp.id } });
    if (moved.count === 1) {
      try {
        await ctx.importQueue.add("import", { userId, importId: imp.id }, { jobId: imp.id });
      } catch (e) {
        await ctx.db.import.update({ where: { id: imp.id }, data: { status: "PREVIEW", jobId: null } });
        throw new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "The import queue is unavailable; try again in a moment.", cause: e });
      }
    }
    return { importId: imp.id, status: "QUEUED" as const };
  }),

  /** Drops an unconfirmed preview (nothing was imported). */
  discard: protectedProcedure.input(importId).mutation(async ({ ctx, input }) => {
    const r = await ctx.db.import.deleteMany({ where: { id: input.importId, userId: ctx.session.user.id, status: "PREVIEW" } });
    return { discarded: r.count === 1 };
  }),

  /** Live progress of this user's imports: the latest state first, then every event the worker publishes. */
  onProgress: protectedProcedure.subscription(async function* ({ ctx, signal }) {
    const userId = ctx.session.user.id;
    const stream = await ctx.fanout.open(channels.importProgress(userId), signal ?? new AbortController().signal);
    const latest = await ctx.db.import.findFirst({ where: { userId, status: { not: "PREVIEW" } }, orderBy: { createdAt: "desc" } });
    if (latest) yield importProgressEvent(latest, importPhase(latest));
    for await (const message of stream) {
      const event = importMessage.safeParse(message);
      if (event.success && event.data.userId === userId) yield event.data;
    }
  }),
});
