import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import type { AppSession } from "~/server/session";
import type { WebServices } from "~/server/services";
import { QueueBusyError } from "~/server/sync/start";

/** Everything a procedure may use. Built per HTTP request, and once per WebSocket connection. */
export interface TRPCContext extends WebServices {
  session: AppSession | null;
}

export function createTRPCContext(opts: { session: AppSession | null; services: WebServices }): TRPCContext {
  return { ...opts.services, session: opts.session };
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      // Unexpected failures may carry database or driver details: say less to the client.
      message: internal ? "Something went wrong on our side. Please try again." : shape.message,
      data: {
        ...shape.data,
        // Field-by-field messages for bad input; never a stack trace in production.
        zodError: error.cause instanceof ZodError ? z.flattenError(error.cause) : null,
        // TOO_MANY_REQUESTS from a full sync queue: when to try again, for the UI to say so.
        retryAfterSeconds: error.cause instanceof QueueBusyError ? error.cause.retryAfterSeconds : null,
      },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure;

export const protectedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Log in with X to continue." });
  return next({ ctx: { ...ctx, session: ctx.session } });
});
