import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { EditConflictError } from "~/server/bookmarks/conflict";
import { isStatementTimeout } from "~/server/db";
import { RateLimitedError, type LimitName } from "~/server/limits/rate-limits";
import { createLogger, currentLogContext } from "~/server/logger";
import { webMetrics } from "~/server/metrics";
import type { WebServices } from "~/server/services";
import type { AppSession } from "~/server/session";
import { QueueBusyError } from "~/server/sync/start";
import { i18nOf, userError } from "./user-message";

/** Everything a procedure may use. Built per HTTP request, and once per WebSocket connection. */
export interface TRPCContext extends WebServices {
  session: AppSession | null;
  /**
   * The tab making the call (the `x-client-id` header over HTTP, the `clientId` connection param
   * over WebSocket), or null: library writes' change events carry it as `by`.
   */
  clientId: string | null;
}

export function createTRPCContext(opts: { session: AppSession | null; services: WebServices; clientId?: string | null }): TRPCContext {
  return { ...opts.services, session: opts.session, clientId: opts.clientId ?? null };
}

const t = initTRPC.context<TRPCContext>().create({
  transformer: superjson,
  // Subscriptions over HTTP (the fallback where WebSocket cannot connect): a comment line every
  // 15 s keeps proxies from closing a quiet stream, and a client that hears nothing for 25 s
  // reconnects (resuming from its last event id), as the socket's ping and pong timeout do.
  sse: {
    ping: { enabled: true, intervalMs: 15_000 },
    client: { reconnectAfterInactivityMs: 25_000 },
  },
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
        // The message as a key and parameters, for the client to say in the reader's language.
        i18n: i18nOf(error.cause, internal),
        // TOO_MANY_REQUESTS (a full sync queue, or a per-user limit): when to try again, for the
        // UI to say so (over HTTP also the Retry-After header, api/http.ts).
        retryAfterSeconds: retryAfterOf(error.cause),
        limit: error.cause instanceof RateLimitedError ? error.cause.limit : null,
        // CONFLICT from bookmarks.update: the bookmark as it is now, and the fields that clashed.
        conflict: error.cause instanceof EditConflictError ? { current: error.cause.current, fields: error.cause.fields } : null,
      },
    };
  },
});

/** Seconds to wait before trying again, when the error's cause says so. */
export function retryAfterOf(cause: unknown): number | null {
  return cause instanceof QueueBusyError || cause instanceof RateLimitedError ? cause.retryAfterSeconds : null;
}

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

const logger = createLogger("trpc");

/**
 * Errors the procedure middleware below has logged already: the adapters' `onError` (HTTP and
 * WebSocket) skips them, so a failed call is logged once, with its user id.
 */
const loggedErrors = new WeakSet<Error>();
export const loggedByProcedure = (error: Error): boolean => loggedErrors.has(error);

/**
 * Every procedure call, over HTTP and WebSocket alike: its latency goes to
 * xb_trpc_procedure_duration_seconds, its error (if any) to the log with the procedure path and
 * user id, and the user id to the request's log context (the request's log line carries it).
 */
const observed = t.middleware(async ({ path, type, ctx, next }) => {
  const userId = ctx.session?.user.id;
  const logContext = currentLogContext();
  if (logContext && userId) logContext.userId = userId;
  const started = performance.now();
  const result = await next();
  webMetrics().trpcCall(path, type, result.ok, (performance.now() - started) / 1000);
  if (!result.ok) {
    const { error } = result;
    const line = { path, type, userId, code: error.code };
    loggedErrors.add(error);
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ ...line, err: error.cause ?? error }, "tRPC procedure failed");
    else logger.info({ ...line, message: error.message }, "tRPC procedure refused");
  }
  return result;
});

/**
 * A statement cancelled by the web pool's statement_timeout (db.ts) is the request's fault, not a
 * crash: answered as TIMEOUT with a sentence instead of a 500.
 */
const dbTimeouts = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isStatementTimeout(result.error.cause)) {
    throw new TRPCError({
      code: "TIMEOUT",
      message: "That took too long and was stopped. Try a narrower search or filter, or try again in a moment.",
      cause: result.error.cause,
    });
  }
  return result;
});

export const publicProcedure = t.procedure.use(observed).use(dbTimeouts);

/** Counts one call against a per-user limit; over it, TOO_MANY_REQUESTS with retry-after data. */
export async function consumeUserLimit(
  ctx: TRPCContext,
  name: Exclude<LimitName, "exportSlot" | "importSlot">,
  userId: string,
): Promise<void> {
  try {
    await ctx.limits.consume(name, { kind: "user", id: userId });
  } catch (e) {
    if (e instanceof RateLimitedError) throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: e.message, cause: e });
    throw e;
  }
}

/**
 * Signed-in users only, and each call counted against the user's calls-per-minute limit. Every
 * procedure call passes here, over HTTP or WebSocket and one by one inside a batch, so a batch of
 * 50 calls counts 50.
 */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.session) throw userError("UNAUTHORIZED", "unauthorized", "Log in with X to continue.");
  await consumeUserLimit(ctx, "calls", ctx.session.user.id);
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/**
 * Admins only (User.role ADMIN). The role is read from the database on every call, not from the
 * session, so `npm run admin:grant -- --revoke` takes effect at once, open sockets included.
 */
export const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  const user = await ctx.db.user.findUnique({ where: { id: ctx.session.user.id }, select: { role: true, handle: true } });
  if (user?.role !== "ADMIN") throw userError("FORBIDDEN", "adminsOnly", "Admins only.");
  return next({ ctx: { ...ctx, admin: { id: ctx.session.user.id, handle: user.handle } } });
});
