import { tracked } from "@trpc/server";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import {
  changesAfterStart,
  changesSince,
  compareStreamIds,
  latestChangeId,
  libraryChangeMessage,
  streamIdSchema,
  type LibraryChange,
} from "~/server/library/changes";
import { channels } from "~/server/sync/events";

export const libraryRouter = createTRPCRouter({
  /**
   * Every committed change to the session user's library, as tracked events (id = the change's
   * stream id). With `lastEventId` (tRPC sends the last id seen when it resubscribes), the changes
   * missed since come first, in order; when they are no longer all kept, one `resync` change tells
   * the client to refetch. Without it, a `start` event with the newest id comes first (nothing to
   * refetch for), then changes from now on.
   */
  onChange: protectedProcedure.input(z.object({ lastEventId: streamIdSchema.nullish() }).optional()).subscription(async function* ({
    ctx,
    input,
    signal,
  }) {
    const userId = ctx.session.user.id;
    // A new follower's position is read before subscribing: whatever comes after it is then in
    // the backlog read below or on the channel (or both: the id check drops repeats).
    const startAt = input?.lastEventId ? null : await latestChangeId(ctx.redis, userId);
    const live = await ctx.fanout.open(channels.libraryChanges(userId), signal ?? new AbortController().signal);
    let last: string;
    if (startAt !== null) {
      // Tell it where it stands: if it drops before any change, it resumes from here rather
      // than from whenever it gets back (and so misses nothing in between).
      last = startAt;
      yield tracked(startAt, { kind: "start", at: new Date().toISOString() } satisfies LibraryChange);
      for (const m of await changesAfterStart(ctx.redis, userId, startAt)) {
        last = m.id;
        yield tracked(m.id, m.change);
      }
    } else {
      last = input!.lastEventId!;
      const missed = await changesSince(ctx.redis, userId, last);
      if (missed.kind === "resync") {
        last = missed.id;
        const change: LibraryChange = { kind: "resync", at: new Date().toISOString() };
        yield tracked(missed.id, change);
      } else {
        for (const m of missed.events) {
          last = m.id;
          yield tracked(m.id, m.change);
        }
      }
    }
    for await (const raw of live) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        continue;
      }
      const m = libraryChangeMessage.safeParse(parsed);
      if (!m.success) continue;
      if (compareStreamIds(m.data.id, last) <= 0) continue;
      last = m.data.id;
      yield tracked(m.data.id, m.data.change);
    }
  }),
});
