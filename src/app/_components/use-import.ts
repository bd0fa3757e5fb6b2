"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useCallback, useState } from "react";
import type { ImportProgressEvent } from "~/server/sync/events";
import { useLiveSubscription, useTRPC } from "~/trpc/react";

export interface ImportPreviewAnswer {
  importId: string;
  kind: "archive" | "exporter";
  fileName: string;
  total: number;
  sentence: string;
}

/** Sends the file to POST /api/import (a stream, not tRPC) and answers its preview. */
async function uploadFile(file: File): Promise<ImportPreviewAnswer> {
  const res = await fetch("/api/import", { method: "POST", body: file, headers: { "x-file-name": encodeURIComponent(file.name) } });
  const body = (await res.json().catch(() => null)) as (ImportPreviewAnswer & { error?: string }) | null;
  if (!res.ok || !body) throw new Error(body?.error ?? `The upload failed (HTTP ${res.status}).`);
  return body;
}

/** The Import page's data: the latest import, upload, confirm, discard and live progress. */
export function useImport() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const latest = useQuery(trpc.imports.latest.queryOptions());
  const [live, setLive] = useState<ImportProgressEvent | null>(null);
  const refresh = useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.imports.latest.queryKey() }), [queryClient, trpc]);

  const onData = useCallback(
    (event: ImportProgressEvent) => {
      setLive(event);
      if (event.phase === "done" || event.phase === "failed") {
        refresh();
        void queryClient.invalidateQueries({ queryKey: trpc.bookmarks.pathKey() });
        // Its bookmarks' media were queued for the archive: the archive line counts them now.
        void queryClient.invalidateQueries({ queryKey: trpc.media.status.queryKey() });
      }
    },
    [refresh, queryClient, trpc],
  );
  useLiveSubscription(useSubscription(trpc.imports.onProgress.subscriptionOptions(undefined, { onData })), refresh);

  const upload = useMutation({ mutationFn: uploadFile, onSuccess: refresh });
  const confirm = useMutation(trpc.imports.confirm.mutationOptions({ onSuccess: refresh }));
  const discard = useMutation(trpc.imports.discard.mutationOptions({ onSuccess: refresh }));

  const current = latest.data ?? null;
  // The live event wins while it belongs to the import shown.
  const progress = current && live && live.importId === current.id ? live : (current?.progress ?? null);
  return { latest, current, progress, upload, confirm, discard };
}
