"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import type { ReactNode } from "react";
import type { AppRouter } from "~/server/api/root";
import { CareContext, ConnectionContext, useConnectionState } from "./connection";
import { getClients } from "./links";
import { makeQueryClient } from "./query-client";

/**
 * The page's tRPC and React Query providers. The links and the transport fallback are in
 * links.ts, the live connection's facts in live-state.ts, their React side in connection.ts.
 */
export { RECONNECT_OFFER_AFTER, useConnectionCare, useConnectionStatus, useLiveSubscription, type ConnectionStatus } from "./connection";
export { reconnectDelayMs, WS_FALLBACK_AFTER, type Transport } from "./live-state";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;
function getQueryClient() {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const { trpcClient, wsClient } = getClients();
  const { status, care } = useConnectionState(wsClient);
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
