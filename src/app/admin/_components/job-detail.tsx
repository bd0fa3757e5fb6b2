"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { formatDuration, formatSpan, formatUsd } from "~/app/_components/format";
import { useToast } from "~/app/_components/toast";
import { useTRPC } from "~/trpc/react";
import { errorText, jobsHref, PHASE_LABELS, QUEUES, userLabel, type JobDetail, type QueueKey } from "./admin-lib";
import { AuditTable } from "./audit";
import { Badge, BTN, Card, ConfirmAction, Empty, ErrorNotice, Field, ProgressBar, SkeletonRows, StateBadge, useNow, When } from "./ui";

type Action = null | "retry" | "promote" | "remove";

/** A job's running time: "26 ms", "12.3 s", then "4:05". */
function formatTook(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}

export function JobDetailView({ queue, jobId }: { queue: QueueKey; jobId: string }) {
  const trpc = useTRPC();
  const now = useNow(1_000);
  const job = useQuery({
    ...trpc.admin.job.queryOptions({ queue, jobId }),
    // A job that is gone stays gone.
    retry: (n, e) => e.data?.code !== "NOT_FOUND" && n < 1,
  });
  const back = jobsHref({ queue, state: job.data && job.data.state !== "unknown" && job.data.state !== "waiting-children" ? job.data.state : undefined });

  return (
    <>
      <Link href={back} className="mb-3 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
        ← {QUEUES[queue].title} jobs
      </Link>
      {job.isPending && <SkeletonRows rows={8} label="Loading the job" />}
      {job.isError && !job.data && job.error.data?.code === "NOT_FOUND" && (
        <Empty testId="job-gone">
          <p className="font-medium text-zinc-700 dark:text-zinc-300">Job {jobId} is not in the {QUEUES[queue].title.toLowerCase()} queue.</p>
          <p className="mt-1">It may have been removed, or cleaned with the queue’s old jobs. Its sync run, if any, is still in the database.</p>
        </Empty>
      )}
      {job.isError && !job.data && job.error.data?.code !== "NOT_FOUND" && (
        <ErrorNotice what="the job" message={errorText(job.error)} onRetry={() => void job.refetch()} />
      )}
      {job.data && <JobBody job={job.data} now={now} refreshError={job.isError ? errorText(job.error) : null} />}
    </>
  );
}

function JobBody({ job, now, refreshError }: { job: JobDetail; now: number; refreshError: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const toast = useToast();
  const [action, setAction] = useState<Action>(null);
  const ref = { queue: job.queue, jobId: job.id };
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
        router.push(jobsHref({ queue: job.queue, state: job.state === "unknown" || job.state === "waiting-children" ? undefined : job.state }));
      },
    }),
  );
  const close = () => {
    setAction(null);
    retry.reset();
    promote.reset();
    remove.reset();
  };

  const p = job.progress;
  const canRetry = job.state === "failed";
  const canPromote = job.state === "delayed";
  const canRemove = job.state !== "active";

  return (
    <div className="space-y-6" data-testid="job-detail" data-state={job.state} data-job-id={job.id}>
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="min-w-0 text-xl font-semibold">
          Job <span className="font-mono text-lg break-all">{job.id}</span>
        </h2>
        <StateBadge state={job.state} />
        <span className="text-sm text-zinc-500">
          {QUEUES[job.queue].title} queue · {job.name}
        </span>
        <div className="ml-auto flex flex-wrap gap-2">
          {canRetry && (
            <button type="button" className={BTN.primary} onClick={() => setAction("retry")} data-testid="retry-job">
              Retry
            </button>
          )}
          {canPromote && (
            <button type="button" className={BTN.primary} onClick={() => setAction("promote")} data-testid="promote-job">
              Run now
            </button>
          )}
          {canRemove && (
            <button type="button" className={BTN.secondary} onClick={() => setAction("remove")} data-testid="remove-job">
              Remove
            </button>
          )}
          {!canRemove && (
            <span className="self-center text-xs text-zinc-500" title="A worker holds a running job; pause the queue or wait for it to finish">
              Running jobs cannot be removed
            </span>
          )}
        </div>
      </div>
      {refreshError && (
        <p role="alert" className="text-sm text-amber-800 dark:text-amber-200">
          Could not refresh ({refreshError}); showing what was last loaded.
        </p>
      )}

      <Card title="Summary">
        <dl className="grid gap-x-6 gap-y-4 sm:grid-cols-2 lg:grid-cols-4">
          <Field label="User" testId="job-user">
            {job.user ? (
              <Link href={`/admin/users?query=${encodeURIComponent(job.user.handle ?? job.user.id)}`} className="text-sky-700 hover:underline dark:text-sky-400">
                {userLabel(job.user)}
              </Link>
            ) : (
              "—"
            )}
            {job.user?.name && <span className="block text-xs text-zinc-500">{job.user.name}</span>}
          </Field>
          <Field label="Mode">
            {job.mode ?? "—"}
            {job.trigger && <span className="block text-xs text-zinc-500">{job.trigger === "scheduled" ? "scheduled (freshness)" : "started by hand"}</span>}
          </Field>
          <Field label="Status" testId="job-status">
            <StateBadge state={job.state} />
            {p && <span className="mt-1 block text-xs text-zinc-500">run {p.runStatus.toLowerCase()}, {PHASE_LABELS[p.phase]}</span>}
          </Field>
          <Field label="Progress">
            {p ? (
              <>
                <ProgressBar percent={p.percent} determinate={p.estimatedTotal !== null || p.phase === "done"} label="Job progress" />
                <span className="mt-1 block text-xs text-zinc-500 tabular-nums">
                  {Math.round(p.percent)}% · {p.pages} page{p.pages === 1 ? "" : "s"} · {p.fetched.toLocaleString()} fetched
                  {p.estimatedTotal !== null && ` of ~${p.estimatedTotal.toLocaleString()}`}
                </span>
              </>
            ) : (
              "—"
            )}
          </Field>
          <Field label="Attempts" testId="job-attempts">
            <span className="tabular-nums">
              {job.attempts.made} of {job.attempts.max}
            </span>
            <span className="block text-xs text-zinc-500">started {job.attempts.started} time{job.attempts.started === 1 ? "" : "s"}</span>
          </Field>
          <Field label="Created">
            <When date={job.createdAt} now={now} />
          </Field>
          <Field label="Started">
            <When date={job.processedAt} now={now} empty="not yet" />
            {job.processedBy && <span className="block font-mono text-xs text-zinc-500">by {job.processedBy}</span>}
          </Field>
          <Field label="Finished">
            <When date={job.finishedAt} now={now} empty="not yet" />
            {job.processedAt && job.finishedAt && (
              <span className="block text-xs text-zinc-500">took {formatTook(job.finishedAt.getTime() - job.processedAt.getTime())}</span>
            )}
          </Field>
          {job.delayedUntil && (
            <Field label="Delayed until">
              <When date={job.delayedUntil} now={now} />
            </Field>
          )}
          <Field label="Priority">
            <span className="tabular-nums">{job.priority || "none"}</span>
          </Field>
        </dl>
      </Card>

      {(job.failedReason || job.stacktrace.length > 0) && (
        <Card
          title={job.state === "failed" ? "Failure" : "Earlier failed attempts"}
          testId={job.state === "failed" ? "job-failure" : "job-earlier-failures"}
        >
          {job.state !== "failed" && (
            <p className="mb-3 text-sm text-zinc-500">The job failed before and was retried; this is what went wrong then.</p>
          )}
          {job.failedReason && (
            <p className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200" data-testid="job-failed-reason">
              {job.failedReason}
            </p>
          )}
          {job.stacktrace.length > 0 && (
            <details className="mt-3" open={job.state === "failed"}>
              <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
                Stack trace{job.stacktrace.length > 1 ? `s (${job.stacktrace.length}, one per failed attempt)` : ""}
              </summary>
              {job.stacktrace.map((st, i) => (
                <pre
                  key={i}
                  className="mt-2 max-h-72 overflow-auto rounded-lg bg-zinc-950 p-3 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black"
                  data-testid="job-stacktrace"
                >
                  {st}
                </pre>
              ))}
            </details>
          )}
        </Card>
      )}

      <Card
        title="Logs"
        testId="job-logs"
        actions={
          <span className="text-xs text-zinc-500 tabular-nums">
            {job.logs.truncated ? `first ${job.logs.lines.length} of ${job.logs.total} lines` : `${job.logs.total} line${job.logs.total === 1 ? "" : "s"}`}
          </span>
        }
      >
        {job.logs.lines.length === 0 ? (
          <p className="text-sm text-zinc-500">The worker has written nothing for this job yet.</p>
        ) : (
          <ol className="max-h-96 overflow-auto rounded-lg bg-zinc-950 py-2 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black" aria-label="Log lines">
            {job.logs.lines.map((line, i) => (
              <li key={i} className="flex gap-3 px-3 hover:bg-white/5" data-testid="log-line">
                <span aria-hidden className="w-6 shrink-0 text-right text-zinc-500 select-none">
                  {i + 1}
                </span>
                <span className="min-w-0 break-words whitespace-pre-wrap">{line}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>

      {job.queue === "sync" && <RunCard run={job.run} now={now} />}
      {job.queue !== "sync" && job.returnValue !== null && (
        <Card title="Result">
          <pre className="overflow-auto rounded-lg bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800">{JSON.stringify(job.returnValue, null, 2)}</pre>
        </Card>
      )}

      <Card title="Admin actions on this job" testId="job-audit">
        {job.audit.length === 0 ? <p className="text-sm text-zinc-500">No admin has acted on this job.</p> : <AuditTable items={job.audit} now={now} compact />}
      </Card>

      {action === "retry" && (
        <ConfirmAction title="Retry this job?" confirmLabel="Retry job" onConfirm={() => retry.mutate(ref)} onClose={close} pending={retry.isPending} error={errorText(retry.error)}>
          <p>The job goes back to the queue with a fresh set of attempts.</p>
          {job.queue === "sync" && <p>Its sync run is reopened and continues from its last saved page. Refused if the user already has another sync open.</p>}
        </ConfirmAction>
      )}
      {action === "promote" && (
        <ConfirmAction
          title="Run this job now?"
          confirmLabel="Run now"
          onConfirm={() => promote.mutate(ref)}
          onClose={close}
          pending={promote.isPending}
          error={errorText(promote.error)}
        >
          <p>The job stops waiting and goes to the front of the queue.</p>
          {job.progress?.phase === "waiting_rate_limit" && <p>It was waiting for X’s rate limit: running it early will likely hit the limit again.</p>}
        </ConfirmAction>
      )}
      {action === "remove" && (
        <ConfirmAction
          title="Remove this job?"
          confirmLabel="Remove job"
          tone="danger"
          onConfirm={() => remove.mutate(ref)}
          onClose={close}
          pending={remove.isPending}
          error={errorText(remove.error)}
        >
          <p>The job and its logs are deleted from the queue. This cannot be undone.</p>
          {job.queue === "sync" && (job.progress?.runStatus === "QUEUED" || job.progress?.runStatus === "RUNNING") && (
            <p>Its sync has not finished: it will be closed as cancelled, and the user’s panel will say so.</p>
          )}
        </ConfirmAction>
      )}
    </div>
  );
}

type Run = NonNullable<JobDetail["run"]>;

function RunCard({ run, now }: { run: JobDetail["run"]; now: number }) {
  if (!run) {
    return (
      <Card title="Sync run">
        <p className="text-sm text-zinc-500">The sync run of this job is no longer in the database.</p>
      </Card>
    );
  }
  const errors = Array.isArray(run.errors) ? (run.errors as { at?: string; kind?: string; message?: string; postId?: string | null }[]) : [];
  const figures: [string, ReactNode][] = [
    ["Pages", run.pages],
    ["Fetched", run.fetched],
    ["New", run.created],
    ["Updated", run.updated],
    ["Unavailable on X", run.skipped],
    ["Removed on X", run.removed],
    ["API calls", run.apiCalls],
    ["Posts read", run.postsRead],
    ["Billable reads", run.billableReads],
    ["Estimated cost", formatUsd(run.estimatedCostUsd)],
    ["Waited for rate limit", run.rateLimitWaitMs > 0 ? formatSpan(run.rateLimitWaitMs) : "no"],
    ["Expected total", run.estimatedTotal ?? "—"],
  ];
  return (
    <Card
      title="Sync run"
      testId="job-run"
      actions={
        <span className="flex items-center gap-2">
          <RunStatus status={run.status} />
          <span className="font-mono text-xs text-zinc-500">{run.id}</span>
        </span>
      }
    >
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-4 lg:grid-cols-6">
        {figures.map(([label, value]) => (
          <Field key={label} label={label}>
            <span className="tabular-nums">{typeof value === "number" ? value.toLocaleString() : value}</span>
          </Field>
        ))}
      </dl>
      <dl className="mt-4 grid grid-cols-2 gap-x-6 gap-y-3 border-t border-zinc-100 pt-4 sm:grid-cols-4 dark:border-zinc-800">
        <Field label="Mode">
          {run.mode.toLowerCase()} · {run.trigger.toLowerCase()}
        </Field>
        <Field label="Queued">
          <When date={run.queuedAt} now={now} />
        </Field>
        <Field label="Started">
          <When date={run.startedAt} now={now} empty="not yet" />
        </Field>
        <Field label="Finished">
          <When date={run.finishedAt} now={now} empty="not yet" />
          {run.durationMs !== null && <span className="block text-xs text-zinc-500">in {formatTook(run.durationMs)}</span>}
        </Field>
        {run.waitingUntil && (
          <Field label={run.waitKind === "rate_limit" ? "Waiting for X’s rate limit until" : "Waiting until"}>
            <When date={run.waitingUntil} now={now} />
          </Field>
        )}
        {run.partialSuccess && (
          <Field label="Outcome">
            <Badge tone="amber">some items unavailable</Badge>
          </Field>
        )}
      </dl>
      {run.error && (
        <p className="mt-4 rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200" data-testid="run-error">
          {run.error}
        </p>
      )}
      {errors.length > 0 && (
        <details className="mt-4">
          <summary className="cursor-pointer text-sm text-zinc-600 dark:text-zinc-400">
            {errors.length} problem{errors.length === 1 ? "" : "s"} recorded during the run
          </summary>
          <ul className="mt-2 space-y-1 text-xs">
            {errors.map((e, i) => (
              <li key={i} className="flex gap-2">
                <span className="shrink-0 text-zinc-500">{e.at ? <When date={e.at} now={now} /> : "—"}</span>
                <Badge tone={e.kind === "skipped" ? "zinc" : e.kind === "failed" ? "red" : "amber"}>{e.kind?.replace("_", " ") ?? "?"}</Badge>
                <span className="min-w-0">
                  {e.message}
                  {e.postId && <span className="font-mono text-zinc-500"> (post {e.postId})</span>}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}

function RunStatus({ status }: { status: Run["status"] }) {
  const tone = status === "SUCCEEDED" ? "emerald" : status === "FAILED" ? "red" : status === "RUNNING" ? "sky" : "zinc";
  return (
    <Badge tone={tone} testId="run-status">
      {status.toLowerCase()}
    </Badge>
  );
}
