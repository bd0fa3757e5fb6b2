import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  httpSubscriptionLink,
  retryLink,
  splitLink,
  wsLink,
  type TRPCLink,
} from "@trpc/client";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { CLIENT_MAX_BATCH_ITEMS } from "./batch";
import { clientIdConnectionParams, clientIdHeaders } from "./client-id";
import { bumpGeneration, changed, live, reconnectDelayMs, setFailedAttempts, WS_FALLBACK_AFTER } from "./live-state";
import { SESSION_ENDED_CLOSE_CODE } from "./ws-close-codes";
import { TRPC_WS_PATH } from "./ws-path";

/**
 * The page's tRPC clients and links: queries and mutations over batched HTTP, subscriptions over
 * the WebSocket, or over SSE once the socket has proved it cannot open (and back when it can).
 */

export type WSClient = ReturnType<typeof createWSClient>;
export type Clients = { trpcClient: ReturnType<typeof createTRPCClient<AppRouter>>; wsClient: WSClient | null };
let browserClients: Clients | undefined;

/** One set of clients per page (not per render: React may run initialisers twice in dev). */
export function getClients(): Clients {
  if (typeof window === "undefined") return makeClients();
  return (browserClients ??= makeClients());
}

/** Notes each SSE subscription's connection state for the badge, passing everything on. */
const sseStateLink: TRPCLink<AppRouter> =
  () =>
  ({ op, next }) =>
    observable((observer) => {
      live.sse.set(op.id, false);
      changed();
      const sub = next(op).subscribe({
        next(envelope) {
          const result = envelope.result as { type?: string; state?: string };
          if (result.type === "state") {
            const up = result.state === "pending";
            if (up) live.sseEverConnected = true;
            live.sse.set(op.id, up);
            changed();
          }
          observer.next(envelope);
        },
        error: (err) => observer.error(err),
        complete: () => observer.complete(),
      });
      return () => {
        sub.unsubscribe();
        live.sse.delete(op.id);
        changed();
      };
    });

/** Refusals that another try would not change. */
const FINAL_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN", "BAD_REQUEST", "NOT_FOUND"]);

/**
 * SSE subscriptions over HTTP. The EventSource reconnects by itself while the server answers with
 * an event stream; an answer that is not one (a proxy's 502 during a deploy, a 500) ends it, so
 * retryLink starts it again with the same backoff as the socket, from the last event id.
 */
function sseLinks(): TRPCLink<AppRouter>[] {
  return [
    sseStateLink,
    retryLink({
      retry: ({ error }) => !FINAL_CODES.has(error.data?.code ?? ""),
      retryDelayMs: (attempt) => reconnectDelayMs(attempt - 1),
    }),
    httpSubscriptionLink<AppRouter, typeof EventSource>({ url: "/api/trpc", transformer: superjson }),
  ];
}

export const wsUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${TRPC_WS_PATH}`;

function makeClients(): Clients {
  const http = httpBatchLink({ url: "/api/trpc", transformer: superjson, maxItems: CLIENT_MAX_BATCH_ITEMS, headers: clientIdHeaders });
  if (typeof window === "undefined") {
    // Server render: nothing subscribes there, and there is no socket to open.
    return { trpcClient: createTRPCClient<AppRouter>({ links: [http] }), wsClient: null };
  }
  const wsClient = createWSClient({
    url: wsUrl,
    connectionParams: clientIdConnectionParams,
    retryDelayMs: (attempt) => {
      // Called after `attempt` failed reconnects; a socket that never opened has also failed its
      // first open, so attempt + 1 tries have failed.
      setFailedAttempts(attempt);
      // Offline, nothing connects: that says nothing about WebSocket.
      if (!live.wsEverOpened && navigator.onLine && attempt + 1 >= WS_FALLBACK_AFTER) fallBackToSse(wsClient);
      return reconnectDelayMs(attempt);
    },
    onOpen: () => {
      live.wsEverOpened = true;
      setFailedAttempts(0);
    },
    // The server closed the socket because the session ended (logged out here or elsewhere,
    // expired): reconnecting would only be refused. Log in again, then come back to this page.
    onClose: (cause) => {
      if (cause?.code === SESSION_ENDED_CLOSE_CODE) goToLogin();
    },
    // Open the socket only while something subscribes: pages without live data (the login
    // page) never knock on a door that needs a session.
    lazy: { enabled: true, closeMs: 10_000 },
  });
  // Subscriptions over the socket, or over SSE once the page has fallen back.
  const links: TRPCLink<AppRouter>[] = [
    splitLink({
      condition: (op) => op.type === "subscription" && live.transport === "sse",
      true: sseLinks(),
      false: splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink<AppRouter>({ client: wsClient, transformer: superjson }),
        false: http,
      }),
    }),
  ];
  return { trpcClient: createTRPCClient<AppRouter>({ links }), wsClient };
}

/** To the log-in page, which brings the person back here afterwards. */
function goToLogin() {
  const back = `${location.pathname}${location.search}`;
  // A full page load, not a client-side route: nothing of the ended session's state may survive.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  location.assign(`/login?callbackUrl=${encodeURIComponent(back)}`);
}

/** Stops the socket and has every subscription start again, over SSE. */
function fallBackToSse(wsClient: WSClient) {
  if (live.transport === "sse") return;
  live.transport = "sse";
  live.failedAttempts = 0;
  // close() ends the socket's subscriptions; their owners restart them on the new generation.
  void wsClient.close().then(bumpGeneration);
}

/** While on SSE, how often to see whether WebSocket works again (the page may have moved networks). */
export const WS_PROBE_MS = 60_000;

/** Opens a bare socket once; if it opens, subscriptions go back to WebSocket. */
export function probeWebSocket(url: string) {
  if (live.transport !== "sse" || !navigator.onLine) return;
  const probe = new WebSocket(url);
  probe.onopen = () => {
    probe.close();
    if (live.transport !== "sse") return;
    live.transport = "ws";
    live.wsEverOpened = false; // counts afresh: two failures would fall back again
    bumpGeneration();
  };
  probe.onerror = () => probe.close();
}
