"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useToast } from "~/app/_components/toast";
import { useTRPC } from "~/trpc/react";
import { jobsHref, type JobDetail, type QueueKey } from "./admin-lib";

/** One job of a queue, as the admin console reads it. */
export function useJob(queue: QueueKey, jobId: string) {
  const trpc = useTRPC();
  return useQuery({
    ...trpc.admin.job.queryOptions({ queue, jobId }),
    // A job that is gone stays gone.
    retry: (n, e) => e.data?.code !== "NOT_FOUND" && n < 1,
  });
}

export type JobAction = null | "retry" | "promote" | "remove";

/** The jobs list the job belongs to (its state's tab, when it has one). */
export function jobListHref(job: Pick<JobDetail, "queue" | "state">): string {
  return jobsHref({ queue: job.queue, state: job.state === "unknown" || job.state === "waiting-children" ? undefined : job.state });
}

/**
 * The admin's actions on a job: which one is being confirmed (`action`, `choose`, `close`) and the
 * three mutations. Each success says what happened in a toast and refreshes the console; a
 * removed job's page goes back to its list.
 */
export function useJobActions(job: JobDetail) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [action, setAction] = useState<JobAction>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
  const retry = useMutation(
    trpc.admin.retryJob.mutationOptions({
      onSuccess: (r) => {
        setAction(null);
        toast({ text: `Job ${job.id} is back in the queue${r.runReopened ? "; its sync run resumes from its checkpoint" : ""}.` });
        refresh();
      },
    }),
  );
  const promote = useMutation(
    trpc.admin.promoteJob.mutationOptions({
      onSuccess: () => {
        setAction(null);
        toast({ text: `Job ${job.id} runs now instead of waiting.` });
        refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.admin.removeJob.mutationOptions({
      onSuccess: (r) => {
        setAction(null);
        toast({ text: `Job ${job.id} removed${r.runClosed ? "; its sync run was closed as cancelled" : ""}.` });
        refresh();
        router.push(jobListHref(job));
      },
    }),
  );
  const close = () => {
    setAction(null);
    retry.reset();
    promote.reset();
    remove.reset();
  };
  return { action, choose: setAction, close, retry, promote, remove };
}
export type JobActions = ReturnType<typeof useJobActions>;
