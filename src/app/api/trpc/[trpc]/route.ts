import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { getAppSession } from "~/server/auth";
import { withEtag } from "~/server/http/etag";
import { createLogger } from "~/server/logger";
import { webServices } from "~/server/services";

const logger = createLogger("trpc");

// Queries and mutations over HTTP (batched). Subscriptions use the WebSocket at /api/trpc-ws, or
// come here as server-sent events where a page cannot open a WebSocket.
const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: async () => createTRPCContext({ session: await getAppSession(), services: webServices() }),
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.cause ?? error }, "tRPC request failed");
    },
  });

// Queries (GET) get an ETag so an unchanged answer is a 304; mutations (POST) and event streams
// pass through.
const get = async (req: Request) => withEtag(req, await handler(req));

export { get as GET, handler as POST };
