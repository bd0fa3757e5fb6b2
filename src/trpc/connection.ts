"use client";

import { createContext, useCallback, useContext, useEffect, useEffectEvent, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { probeWebSocket, WS_PROBE_MS, wsUrl, type WSClient } from "./links";
import { bumpGeneration, live, liveSnapshot, SERVER_SNAPSHOT, setFailedAttempts, subscribeLive, type Transport } from "./live-state";

/** The live connection's state for the page: the header's badge, reconnecting, restarting subscribers. */

export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "offline";
export const ConnectionContext = createContext<ConnectionStatus>("connecting");
export const useConnectionStatus = () => useContext(ConnectionContext);

/** After this many failed reconnects in a row, the header offers to reconnect now. */
export const RECONNECT_OFFER_AFTER = 5;

export interface ConnectionCare {
  /** Failed reconnect attempts since the socket was last up. */
  failures: number;
  /** Drops the waiting socket and opens a new one at once (then subscribers start again). */
  reconnect: () => void;
  /** Bumped on each manual reconnect and on the switch to SSE: subscribers start again. */
  generation: number;
  /** How subscriptions travel now. */
  transport: Transport;
}
export const CareContext = createContext<ConnectionCare>({ failures: 0, reconnect: () => undefined, generation: 0, transport: "ws" });
export const useConnectionCare = () => useContext(CareContext);

/** The browser's own idea of being online. */
function useOnline() {
  const [online, setOnline] = useState(true);
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
  return online;
}

/** The socket's state as the badge words it. */
function useSocketStatus(wsClient: WSClient | null) {
  const [wsStatus, setWsStatus] = useState<ConnectionStatus>("connecting");
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
  return wsStatus;
}

/** The page's connection status and care (for the providers in react.tsx). */
export function useConnectionState(wsClient: WSClient | null): { status: ConnectionStatus; care: ConnectionCare } {
  const { failedAttempts, transport, generation, sseConnected } = useSyncExternalStore(subscribeLive, liveSnapshot, () => SERVER_SNAPSHOT);
  const wsStatus = useSocketStatus(wsClient);
  const online = useOnline();

  const reconnect = useCallback(() => {
    if (!wsClient) return;
    // The client's own reconnect is private and sleeps out its backoff: close the socket (which
    // ends the subscriptions) and let the subscribers start again, which opens a fresh one.
    setFailedAttempts(0);
    void wsClient.close().then(bumpGeneration);
  }, [wsClient]);
  const care = useMemo(
    () => ({ failures: failedAttempts, reconnect, generation, transport }),
    [failedAttempts, reconnect, generation, transport],
  );

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
  return { status, care };
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
