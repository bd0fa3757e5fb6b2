import type { ReactNode } from "react";
import { formatSpan, formatUsd } from "~/app/_components/format";
import type { JobDetail } from "./admin-lib";
import { formatTook } from "./job-format";
import { Badge, Card, Field, When } from "./ui";

/** A sync job's run, as the database has it: figures, times, problems. */

type Run = NonNullable<JobDetail["run"]>;

export function RunCard({ run, now }: { run: JobDetail["run"]; now: number }) {
  if (!run) {
    return (
      <Card title="Sync run">
        <p className="text-sm text-zinc-500">The sync run of this job is no longer in the database.</p>
      </Card>
    );
  }
  const errors = Array.isArray(run.errors)
    ? (run.errors as { at?: string; kind?: string; message?: string; postId?: string | null }[])
    : [];
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
                <Badge tone={e.kind === "skipped" ? "zinc" : e.kind === "failed" ? "red" : "amber"}>
                  {e.kind?.replace("_", " ") ?? "?"}
                </Badge>
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
