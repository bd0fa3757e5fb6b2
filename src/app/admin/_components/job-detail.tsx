"use client";

import Link from "next/link";
import { errorText, jobsHref, PHASE_LABELS, QUEUES, userLabel, type JobDetail, type QueueKey } from "./admin-lib";
import { AuditTable } from "./audit";
import { JobActionDialog } from "./job-action-dialogs";
import { formatTook } from "./job-format";
import { JobFailure, JobLogs } from "./job-logs";
import { RunCard } from "./job-run-card";
import { BTN, Card, Empty, ErrorNotice, Field, ProgressBar, SkeletonRows, StateBadge, useNow, When } from "./ui";
import { jobListHref, useJob, useJobActions } from "./use-job-actions";

export function JobDetailView({ queue, jobId }: { queue: QueueKey; jobId: string }) {
  const now = useNow(1_000);
  const job = useJob(queue, jobId);
  const back = job.data ? jobListHref(job.data) : jobsHref({ queue });

  return (
    <>
      <Link href={back} className="mb-3 inline-block text-sm text-sky-700 hover:underline dark:text-sky-400">
        ← {QUEUES[queue].title} jobs
      </Link>
      {job.isPending && <SkeletonRows rows={8} label="Loading the job" />}
      {job.isError && !job.data && job.error.data?.code === "NOT_FOUND" && (
        <Empty testId="job-gone">
          <p className="font-medium text-zinc-700 dark:text-zinc-300">
            Job {jobId} is not in the {QUEUES[queue].title.toLowerCase()} queue.
          </p>
          <p className="mt-1">
            It may have been removed, or cleaned with the queue’s old jobs. Its sync run, if any, is still in the database.
          </p>
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
  const actions = useJobActions(job);
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
            <button type="button" className={BTN.primary} onClick={() => actions.choose("retry")} data-testid="retry-job">
              Retry
            </button>
          )}
          {canPromote && (
            <button type="button" className={BTN.primary} onClick={() => actions.choose("promote")} data-testid="promote-job">
              Run now
            </button>
          )}
          {canRemove && (
            <button type="button" className={BTN.secondary} onClick={() => actions.choose("remove")} data-testid="remove-job">
              Remove
            </button>
          )}
          {!canRemove && (
            <span
              className="self-center text-xs text-zinc-500"
              title="A worker holds a running job; pause the queue or wait for it to finish"
            >
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
              <Link
                href={`/admin/users?query=${encodeURIComponent(job.user.handle ?? job.user.id)}`}
                className="text-sky-700 hover:underline dark:text-sky-400"
              >
                {userLabel(job.user)}
              </Link>
            ) : (
              "—"
            )}
            {job.user?.name && <span className="block text-xs text-zinc-500">{job.user.name}</span>}
          </Field>
          <Field label="Mode">
            {job.mode ?? "—"}
            {job.trigger && (
              <span className="block text-xs text-zinc-500">
                {job.trigger === "scheduled" ? "scheduled (freshness)" : "started by hand"}
              </span>
            )}
          </Field>
          <Field label="Status" testId="job-status">
            <StateBadge state={job.state} />
            {p && (
              <span className="mt-1 block text-xs text-zinc-500">
                run {p.runStatus.toLowerCase()}, {PHASE_LABELS[p.phase]}
              </span>
            )}
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
            <span className="block text-xs text-zinc-500">
              started {job.attempts.started} time{job.attempts.started === 1 ? "" : "s"}
            </span>
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

      <JobFailure job={job} />
      <JobLogs job={job} />

      {job.queue === "sync" && <RunCard run={job.run} now={now} />}
      {job.queue !== "sync" && job.returnValue !== null && (
        <Card title="Result">
          <pre className="overflow-auto rounded-lg bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-800">
            {JSON.stringify(job.returnValue, null, 2)}
          </pre>
        </Card>
      )}

      <Card title="Admin actions on this job" testId="job-audit">
        {job.audit.length === 0 ? (
          <p className="text-sm text-zinc-500">No admin has acted on this job.</p>
        ) : (
          <AuditTable items={job.audit} now={now} compact />
        )}
      </Card>

      <JobActionDialog job={job} actions={actions} />
    </div>
  );
}
