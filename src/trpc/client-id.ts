import { CLIENT_ID_HEADER } from "~/shared/client-id";

/**
 * One random id per tab (per page load), sent with every call (a header over HTTP, a connection
 * param over WebSocket). The server echoes it as `by` on the changes the tab's library writes
 * publish, so this tab can skip its own echoes.
 */
function makeClientId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return `tab-${crypto.randomUUID()}`;
  return `tab-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export const CLIENT_ID = makeClientId();

/** For httpBatchLink's `headers`. */
export const clientIdHeaders = () => ({ [CLIENT_ID_HEADER]: CLIENT_ID });

/** For createWSClient's `connectionParams`. */
export const clientIdConnectionParams = () => ({ clientId: CLIENT_ID });
