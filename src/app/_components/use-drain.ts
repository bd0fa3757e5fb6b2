"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "~/trpc/react";

/** The drain: its preview, the drain in progress (followed every 3 s while it runs) and its controls. */
export function useDrain() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preview = useQuery(trpc.xDrain.preview.queryOptions());
  const [started, setStarted] = useState<string | null>(null);
  const drainId = preview.data?.running?.id ?? started;
  const status = useQuery({
    ...trpc.xDrain.status.queryOptions({ drainId: drainId ?? "none" }),
    enabled: drainId !== null,
    refetchInterval: (q) => (q.state.data?.status === "RUNNING" || (q.state.data?.queued ?? 0) > 0 ? 3_000 : false),
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.xDrain.preview.queryKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.xDrain.status.queryKey() });
  };
  const start = useMutation(trpc.xDrain.start.mutationOptions({ onSuccess: (d) => setStarted(d.id), onSettled: refresh }));
  const pause = useMutation(trpc.xDrain.pause.mutationOptions({ onSettled: refresh }));
  const resume = useMutation(trpc.xDrain.resume.mutationOptions({ onSettled: refresh }));
  const undo = useMutation(trpc.xDrain.undo.mutationOptions({ onSettled: refresh }));
  return { preview, status, drainId, start, pause, resume, undo };
}
