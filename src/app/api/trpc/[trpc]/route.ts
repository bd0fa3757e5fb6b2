import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { env } from "~/env";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { getAppSession } from "~/server/auth";
import { withEtag } from "~/server/http/etag";
import { acceptJsonPost } from "~/server/http/json-post";
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
    maxBatchSize: env.TRPC_MAX_BATCH_SIZE,
    createContext: async () => createTRPCContext({ session: await getAppSession(), services: webServices() }),
    onError({ path, error }) {
      if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ path, err: error.cause ?? error }, "tRPC request failed");
    },
  });

// Queries (GET) get an ETag so an unchanged answer is a 304; event streams pass through.
const get = async (req: Request) => withEtag(req, await handler(req));

// Mutations (POST): only from the app's own pages, as JSON, within MAX_BODY_BYTES (json-post.ts).
const post = async (req: Request) => {
  const accepted = await acceptJsonPost(req);
  return accepted instanceof Response ? accepted : handler(accepted);
};

export { get as GET, post as POST };
