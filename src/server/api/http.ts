import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import { createLogger } from "~/server/logger";
import { appRouter } from "./root";
import { loggedByProcedure, retryAfterOf, type TRPCContext } from "./trpc";

const logger = createLogger("trpc");

/**
 * tRPC over HTTP (batched) for the route handler (app/api/trpc) and the benchmarks that serve the
 * same procedures: one place for the endpoint, the error log and the answer's headers. A refused
 * call (TOO_MANY_REQUESTS) also carries `Retry-After`, the longest wait of the batch's refusals.
 */
export function handleTrpcHttp(req: Request, createContext: () => Promise<TRPCContext>): Promise<Response> {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    maxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    createContext,
    // Procedure failures are logged by the procedure middleware (trpc.ts); this logs the rest
    // (a malformed batch, a failure before any procedure ran).
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR" && !loggedByProcedure(error))
        logger.error({ path, err: error.cause ?? error }, "tRPC request failed");
    },
    responseMeta({ errors }) {
      const waits = errors.map((e) => retryAfterOf(e.cause)).filter((s): s is number => s !== null);
      return waits.length > 0 ? { headers: { "Retry-After": String(Math.max(...waits)) } } : {};
    },
  });
}
