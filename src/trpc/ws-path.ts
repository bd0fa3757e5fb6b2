/** The WebSocket endpoint for tRPC subscriptions. Outside /api/trpc/*, which Next's own upgrade handler claims. */
export const TRPC_WS_PATH = "/api/trpc-ws";
