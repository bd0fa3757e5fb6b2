"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/** The media archive's state (polled every 3 s while files are pending) and its setting. */
export function useMediaArchive() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({
    ...trpc.media.status.queryOptions(),
    refetchInterval: (q) => ((q.state.data?.pending ?? 0) > 0 ? 3_000 : 30_000),
  });
  const setMode = useMutation(
    trpc.media.setMode.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.media.status.queryKey() }),
    }),
  );
  return { status, setMode };
}
