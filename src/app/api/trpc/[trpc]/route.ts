import { handleTrpcHttp } from "~/server/api/http";
import { createTRPCContext } from "~/server/api/trpc";
import { getAppSession } from "~/server/auth";
import { withEtag } from "~/server/http/etag";
import { acceptJsonPost } from "~/server/http/json-post";
import { webServices } from "~/server/services";
import { CLIENT_ID_HEADER, parseClientId } from "~/shared/client-id";

// Queries and mutations over HTTP (batched). Subscriptions use the WebSocket at /api/trpc-ws, or
// come here as server-sent events where a page cannot open a WebSocket.
const handler = (req: Request) =>
  handleTrpcHttp(req, async () =>
    createTRPCContext({
      session: await getAppSession(),
      services: webServices(),
      clientId: parseClientId(req.headers.get(CLIENT_ID_HEADER)),
    }),
  );

// Queries (GET) get an ETag so an unchanged answer is a 304; event streams pass through.
const get = async (req: Request) => withEtag(req, await handler(req));

// Mutations (POST): only from the app's own pages, as JSON, within MAX_BODY_BYTES (json-post.ts).
const post = async (req: Request) => {
  const accepted = await acceptJsonPost(req);
  return accepted instanceof Response ? accepted : handler(accepted);
};

export { get as GET, post as POST };
