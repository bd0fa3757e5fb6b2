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
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
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
    retryDelayMs: reconnectDelayMs,
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

  useEffect(() => {
    if (!wsClient) return;
    let everConnected = false;
    const sub = wsClient.connectionState.subscribe({
      next(state) {
        if (state.state === "pending") everConnected = true;
        if (!navigator.onLine) setStatus("offline");
        else if (state.state === "pending") setStatus("connected");
        else if (state.state === "connecting") setStatus(everConnected || state.error ? "reconnecting" : "connecting");
        // idle: the lazy socket is closed because nothing subscribes; nothing is wrong.
        else setStatus(everConnected ? "connected" : "connecting");
      },
    });
    const offline = () => setStatus("offline");
    const online = () => setStatus("reconnecting");
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
        <ConnectionContext.Provider value={status}>{children}</ConnectionContext.Provider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
