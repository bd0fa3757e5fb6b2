/**
 * The page's live-connection facts, kept outside React because the tRPC links (created once per
 * page) report them: the socket's failed attempts in a row, whether it ever opened, the transport
 * in use, and each SSE subscription's state. React reads them through `useSyncExternalStore`
 * (subscribeLive + liveSnapshot).
 */

/**
 * How subscriptions travel. WebSocket first; a page whose socket cannot open even once (a proxy
 * or network that refuses WebSocket upgrades) falls back to HTTP: tRPC's SSE subscription link,
 * which reconnects by itself and resumes from the last event id as the socket does.
 */
export type Transport = "ws" | "sse";
/** Failed socket attempts, none of which ever opened, after which HTTP takes over. */
export const WS_FALLBACK_AFTER = 2;

/** Reconnect backoff: 1, 2, 4, 8, 16 s, then every 30 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(1_000 * 2 ** attempt, 30_000);
}

export const live = {
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
export function changed() {
  for (const l of liveListeners) l();
}

export function setFailedAttempts(n: number) {
  if (n === live.failedAttempts) return;
  live.failedAttempts = n;
  changed();
}

/** Every subscription starts again (their owners see the new generation). */
export function bumpGeneration() {
  live.generation += 1;
  changed();
}

/** A snapshot of `live` for React (a new object only when something in it changed). */
export interface LiveSnapshot {
  failedAttempts: number;
  transport: Transport;
  generation: number;
  /** SSE only: every subscription connected (null: none open). */
  sseConnected: boolean | null;
}
let snapshot: LiveSnapshot | null = null;
export function liveSnapshot(): LiveSnapshot {
  const sseConnected = live.sse.size === 0 ? null : [...live.sse.values()].every(Boolean);
  const next = { failedAttempts: live.failedAttempts, transport: live.transport, generation: live.generation, sseConnected };
  if (snapshot && (Object.keys(next) as (keyof LiveSnapshot)[]).every((k) => snapshot![k] === next[k])) return snapshot;
  return (snapshot = next);
}
export const SERVER_SNAPSHOT: LiveSnapshot = { failedAttempts: 0, transport: "ws", generation: 0, sseConnected: null };
export function subscribeLive(l: () => void) {
  liveListeners.add(l);
  return () => void liveListeners.delete(l);
}
