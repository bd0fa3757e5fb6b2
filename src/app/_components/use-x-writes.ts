"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useCallback } from "react";
import { useTRPC } from "~/trpc/react";

/**
 * Write-back to X: whether the person's login allows it, the remove / add-back requests, and the
 * log-in that grants it (asked for only here, when the person wants to change X).
 */
export function useXWrites() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.xWrites.status.queryOptions(),
    // While writes are queued, follow them (X allows 50 per 15 minutes: a big batch takes a while).
    refetchInterval: (q) => ((q.state.data?.pending ?? 0) > 0 ? 3_000 : false),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.xWrites.status.queryKey() });
  const remove = useMutation(trpc.xWrites.remove.mutationOptions({ onSettled: refresh }));
  const add = useMutation(trpc.xWrites.add.mutationOptions({ onSettled: refresh }));
  const loginScope = status.data?.loginScope;
  /** X's consent page again, asking for bookmark.write too; back here afterwards. */
  const grantWrite = useCallback(() => {
    if (loginScope) void signIn("twitter", { callbackUrl: window.location.href }, { scope: loginScope });
  }, [loginScope]);
  return { status, remove, add, grantWrite };
}
