"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCLink,
} from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { CLIENT_ID, takesClientId } from "./client-id";
import { makeQueryClient } from "./query-client";
import { TRPC_WS_PATH } from "./ws-path";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

/** Reconnect backoff: 1, 2, 4, 8, 16 s, then every 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** attempt, 30_000);
}

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";
const ConnectionContext = createContext<ConnectionStatus>("connecting");
export const useConnectionStatus = () => useContext(ConnectionContext);

/** After this many failed reconnects in a row, the header offers to reconnect now. */
export const RECONNECT_OFFER_AFTER = 5;

interface ConnectionCare {
  /** Failed reconnect attempts since the socket was last up. */
  failures: number;
  /** Drops the waiting socket and opens a new one at once (then subscribers start again). */
  reconnect: () => void;
  /** Bumped on each manual reconnect: subscribers resubscribe and catch up. */
  generation: number;
}
const CareContext = createContext<ConnectionCare>({ failures: 0, reconnect: () => undefined, generation: 0 });
export const useConnectionCare = () => useContext(CareContext);

/** Reconnect attempts as the socket's backoff asks for them: attempt n comes after n failures. */
let failedAttempts = 0;
const attemptListeners = new Set<(n: number) => void>();
function setFailedAttempts(n: number) {
  if (n === failedAttempts) return;
  failedAttempts = n;
  for (const l of attemptListeners) l(n);
}

type Clients = { trpcClient: ReturnType<typeof createTRPCClient<AppRouter>>; wsClient: ReturnType<typeof createWSClient> | null };
let browserClients: Clients | undefined;

/** One set of clients per page (not per render: React may run initialisers twice in dev). */
function getClients(): Clients {
  if (typeof window === "undefined") return makeClients();
  return (browserClients ??= makeClients());
}

/**
 * Adds this tab's `clientId` to every library mutation (bookmarks, tags, categories), so the
 * change feed's echo of it can be told apart from changes made elsewhere.
 */
const clientIdLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
  observable((observer) => {
    const tagged =
      op.type === "mutation" && takesClientId(op.path) && op.input !== null && typeof op.input === "object" && !Array.isArray(op.input)
        ? { ...op, input: { ...(op.input as Record<string, unknown>), clientId: CLIENT_ID } }
        : op;
    return next(tagged).subscribe(observer);
  });

function makeClients(): Clients {
  const http = httpBatchLink({ url: "/api/trpc", transformer: superjson });
  if (typeof window === "undefined") {
    // Server render: nothing subscribes there, and there is no socket to open.
    return { trpcClient: createTRPCClient<AppRouter>({ links: [http] }), wsClient: null };
  }
  const wsClient = createWSClient({
    url: () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${TRPC_WS_PATH}`,
    retryDelayMs: (attempt) => {
      setFailedAttempts(attempt);
      return reconnectDelayMs(attempt);
    },
    // Open the socket only while something subscribes: pages without live data (the login
    // page) never knock on a door that needs a session.
    lazy: { enabled: true, closeMs: 10_000 },
  });
  const links: TRPCLink<AppRouter>[] = [
    clientIdLink,
    splitLink({
      condition: (op) => op.type === "subscription",
      true: wsLink<AppRouter>({ client: wsClient, transformer: superjson }),
      false: http,
    }),
  ];
  return { trpcClient: createTRPCClient<AppRouter>({ links }), wsClient };
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const { trpcClient, wsClient } = getClients();
  const [status, setStatus] = useState<ConnectionStatus>("connecting");
  const [failures, setFailures] = useState(0);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    attemptListeners.add(setFailures);
    return () => void attemptListeners.delete(setFailures);
  }, []);

  const reconnect = useCallback(() => {
    if (!wsClient) return;
    // The client's own reconnect is private and sleeps out its backoff: close the socket (which
    // ends the subscriptions) and let the subscribers start again, which opens a fresh one.
    setFailedAttempts(0);
    void wsClient.close().then(() => setGeneration((g) => g + 1));
  }, [wsClient]);
  const care = useMemo(() => ({ failures, reconnect, generation }), [failures, reconnect, generation]);

  useEffect(() => {
    if (!wsClient) return;
    let everConnected = false;
    const sub = wsClient.connectionState.subscribe({
      next(state) {
        if (state.state === "pending") {
          everConnected = true;
          setFailedAttempts(0);
        }
        if (!navigator.onLine) setStatus("offline");
        else if (state.state === "pending") setStatus("connected");
        else if (state.state === "connecting") setStatus(everConnected || state.error ? "reconnecting" : "connecting");
        // idle: the lazy socket is closed because nothing subscribes; nothing is wrong.
        else setStatus(everConnected ? "connected" : "connecting");
      },
    });
    const offline = () => setStatus("offline");
    // The socket may have stayed up through a short outage: then it is live at once.
    const online = () => {
      const { state } = wsClient.connectionState.get();
      setStatus(state === "connecting" || !everConnected ? "reconnecting" : "connected");
    };
    window.addEventListener("offline", offline);
    window.addEventListener("online", online);
    return () => {
      sub.unsubscribe();
      window.removeEventListener("offline", offline);
      window.removeEventListener("online", online);
    };
  }, [wsClient]);

  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ConnectionContext.Provider value={status}>
          <CareContext.Provider value={care}>{children}</CareContext.Provider>
        </ConnectionContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
