"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";

/**
 * The person's X bookmark folders as the last full sync read them. A sync changes them at most
 * once per run, so a minute's polling (and a refetch on focus) keeps the list close enough.
 */
export function useFolders() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.folders.list.queryOptions(), refetchInterval: 60_000 });
}
