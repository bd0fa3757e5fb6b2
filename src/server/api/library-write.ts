import type { ChangeInput, LibraryChangeKind } from "~/server/library/changes";
import { protectedProcedure, type TRPCContext } from "./trpc";

/** What a write adds to its change event: the bookmarks it touched, a different action… */
export type ChangeDetails = Partial<Omit<ChangeInput, "kind" | "by">>;

/**
 * Publishes a library write's change: invalidates the user's cached pages and tells the user's
 * sockets (library/changes.ts), naming the tab that made it. The one place change events of
 * mutations are built.
 */
export function publishLibraryWrite(ctx: TRPCContext, userId: string, change: Omit<ChangeInput, "by">): Promise<string> {
  return ctx.library.changed(userId, { ...change, by: ctx.clientId });
}

/**
 * A mutation of the signed-in user's library (bookmarks, tags, categories). When it succeeds, its
 * change (`kind`, `action`, and what the resolver reported through `ctx.changed`) is published
 * after the commit; when it fails, nothing is. A failed publish fails the call: better than
 * reporting success while the user's other tabs and cached pages stay stale.
 */
export function libraryWrite(kind: LibraryChangeKind, action: string) {
  return protectedProcedure.use(async ({ ctx, next }) => {
    let details: ChangeDetails = {};
    const result = await next({
      ctx: {
        /** Adds to the change event (touched ids, another action); the last call wins per field. */
        changed: (more: ChangeDetails) => {
          details = { ...details, ...more };
        },
      },
    });
    if (result.ok) await publishLibraryWrite(ctx, ctx.session.user.id, { kind, action, ...details });
    return result;
  });
}
