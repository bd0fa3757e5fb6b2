"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
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
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { createContext, useCallback, useContext, useEffect, useEffectEvent, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { observable } from "@trpc/server/observable";
import superjson from "superjson";
import type { AppRouter } from "~/server/api/root";
import { clientIdConnectionParams, clientIdHeaders } from "./client-id";
import { makeQueryClient } from "./query-client";
import { CLIENT_MAX_BATCH_ITEMS } from "./batch";
import { SESSION_ENDED_CLOSE_CODE } from "./ws-close-codes";
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
  /** Bumped on each manual reconnect and on the switch to SSE: subscribers start again. */
  generation: number;
  /** How subscriptions travel now. */
  transport: Transport;
}
const CareContext = createContext<ConnectionCare>({ failures: 0, reconnect: () => undefined, generation: 0, transport: "ws" });
export const useConnectionCare = () => useContext(CareContext);

/**
 * How subscriptions travel. WebSocket first; a page whose socket cannot open even once (a proxy
 * or network that refuses WebSocket upgrades) falls back to HTTP: tRPC's SSE subscription link,
 * which reconnects by itself and resumes from the last event id as the socket does.
 */
export type Transport = "ws" | "sse";
/** Failed socket attempts, none of which ever opened, after which HTTP takes over. */
export const WS_FALLBACK_AFTER = 2;

/**
 * The page's live-connection facts, kept outside React because the tRPC links (created once per
 * page) report them: the socket's failed attempts in a row, whether it ever opened, the transport
 * in use, and each SSE subscription's state.
 */
const live = {
  failedAttempts: 0,
  wsEverOpened: false,
  transport: "ws" as Transport,
  /** SSE subscriptions by operation id: connected (true) or still (re)connecting (false). */
  sse: new Map<number, boolean>(),
  sseEverConnected: false,
  /** Bumped when every subscription must start again (a manual reconnect, the switch to SSE). */
  generation: 0,
};
const liveListeners = new Set<() => void>();
function changed() {
  for (const l of liveListeners) l();
}

function setFailedAttempts(n: number) {
  if (n === live.failedAttempts) return;
  live.failedAttempts = n;
  changed();
}

type Clients = { trpcClient: ReturnType<typeof createTRPCClient<AppRouter>>; wsClient: ReturnType<typeof createWSClient> | null };
let browserClients: Clients | undefined;

/** One set of clients per page (not per render: React may run initialisers twice in dev). */
function getClients(): Clients {
  if (typeof window === "undefined") return makeClients();
  return (browserClients ??= makeClients());
}

/** Notes each SSE subscription's connection state for the badge, passing everything on. */
const sseStateLink: TRPCLink<AppRouter> = () => ({ op, next }) =>
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

const wsUrl = () => `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${TRPC_WS_PATH}`;

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
function fallBackToSse(wsClient: ReturnType<typeof createWSClient>) {
  if (live.transport === "sse") return;
  live.transport = "sse";
  live.failedAttempts = 0;
  // close() ends the socket's subscriptions; their owners restart them on the new generation.
  void wsClient.close().then(() => {
    live.generation += 1;
    changed();
  });
}

/** While on SSE, how often to see whether WebSocket works again (the page may have moved networks). */
const WS_PROBE_MS = 60_000;

/** Opens a bare socket once; if it opens, subscriptions go back to WebSocket. */
function probeWebSocket(url: string) {
  if (live.transport !== "sse" || !navigator.onLine) return;
  const probe = new WebSocket(url);
  probe.onopen = () => {
    probe.close();
    if (live.transport !== "sse") return;
    live.transport = "ws";
    live.wsEverOpened = false; // counts afresh: two failures would fall back again
    live.generation += 1;
    changed();
  };
  probe.onerror = () => probe.close();
}

/** A snapshot of `live` for React (a new object only when something in it changed). */
interface LiveSnapshot {
  failedAttempts: number;
  transport: Transport;
  generation: number;
  /** SSE only: every subscription connected (null: none open). */
  sseConnected: boolean | null;
}
let snapshot: LiveSnapshot | null = null;
function liveSnapshot(): LiveSnapshot {
  const sseConnected = live.sse.size === 0 ? null : [...live.sse.values()].every(Boolean);
  const next = { failedAttempts: live.failedAttempts, transport: live.transport, generation: live.generation, sseConnected };
  if (snapshot && (Object.keys(next) as (keyof LiveSnapshot)[]).every((k) => snapshot![k] === next[k])) return snapshot;
  return (snapshot = next);
}
const SERVER_SNAPSHOT: LiveSnapshot = { failedAttempts: 0, transport: "ws", generation: 0, sseConnected: null };
function subscribeLive(l: () => void) {
  liveListeners.add(l);
  return () => void liveListeners.delete(l);
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const { trpcClient, wsClient } = getClients();
  const { failedAttempts, transport, generation, sseConnected } = useSyncExternalStore(subscribeLive, liveSnapshot, () => SERVER_SNAPSHOT);
  const [wsStatus, setWsStatus] = useState<ConnectionStatus>("connecting");
  const [online, setOnline] = useState(true);

  const reconnect = useCallback(() => {
    if (!wsClient) return;
    // The client's own reconnect is private and sleeps out its backoff: close the socket (which
    // ends the subscriptions) and let the subscribers start again, which opens a fresh one.
    setFailedAttempts(0);
    void wsClient.close().then(() => {
      live.generation += 1;
      changed();
    });
  }, [wsClient]);
  const care = useMemo(
    () => ({ failures: failedAttempts, reconnect, generation, transport }),
    [failedAttempts, reconnect, generation, transport],
  );

  useEffect(() => {
    if (!wsClient) return;
    const sub = wsClient.connectionState.subscribe({
      next(state) {
        if (state.state === "pending") setWsStatus("connected");
        else if (state.state === "connecting") setWsStatus(live.wsEverOpened || state.error ? "reconnecting" : "connecting");
        // idle: the lazy socket is closed because nothing subscribes; nothing is wrong.
        else setWsStatus(live.wsEverOpened ? "connected" : "connecting");
      },
    });
    return () => sub.unsubscribe();
  }, [wsClient]);

  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    update();
    window.addEventListener("offline", update);
    window.addEventListener("online", update);
    return () => {
      window.removeEventListener("offline", update);
      window.removeEventListener("online", update);
    };
  }, []);

  useEffect(() => {
    if (transport !== "sse") return;
    const t = setInterval(() => probeWebSocket(wsUrl()), WS_PROBE_MS);
    return () => clearInterval(t);
  }, [transport]);

  const status: ConnectionStatus = !online
    ? "offline"
    : transport === "ws"
      ? wsStatus
      : sseConnected === false
        ? live.sseEverConnected
          ? "reconnecting"
          : "connecting"
        : "connected";

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

/**
 * useSubscription for a subscription that should outlive the connection it started on: after a
 * manual reconnect or the switch to SSE (which end every subscription), it starts again and
 * `onRestart` runs (it cannot resume where it was: refetch what it feeds).
 */
export function useLiveSubscription<T extends { reset: () => void }>(sub: T, onRestart?: () => void): T {
  const { generation } = useConnectionCare();
  const seen = useRef(generation);
  const { reset } = sub;
  const restarted = useEffectEvent(() => onRestart?.());
  useEffect(() => {
    if (seen.current === generation) return;
    seen.current = generation;
    reset();
    restarted();
  }, [generation, reset]);
  return sub;
}
