import { Fragment, type ReactNode } from "react";
import { formatCount, formatCountOf, formatDateTime, formatRelative, formatSpan, formatUsd } from "./format";
import type { LastRun } from "./use-sync-run";

/** The last finished run in one line: when, who started it, what it cost, what it found. */
export function LastRunLine({ run, now }: { run: LastRun; now: number }) {
  const when = run.finishedAt ?? run.queuedAt;
  const failed = run.status === "FAILED";
  const parts: { key: string; node: ReactNode }[] = [
    { key: "trigger", node: run.trigger === "SCHEDULED" ? "scheduled" : "manual" },
    { key: "calls", node: formatCountOf(run.apiCalls, "API call") },
    { key: "read", node: `${formatCountOf(run.postsRead, "post")} read` },
    {
      key: "cost",
      node: <span title="Estimated cost of this sync’s X API reads, in US dollars">{`est. cost ${formatUsd(run.estimatedCostUsd)}`}</span>,
    },
  ];
  if (run.rateLimitWaitMs > 0) parts.push({ key: "wait", node: `waited ${formatSpan(run.rateLimitWaitMs)} for X’s rate limit` });
  if (run.removed > 0) parts.push({ key: "removed", node: `${formatCount(run.removed)} removed on X` });
  if (run.partialSuccess) {
    parts.push({
      key: "partial",
      node: (
        <span className="text-amber-700 dark:text-amber-300" title="Some items on X could not be saved; the rest were">
          some items unavailable
        </span>
      ),
    });
  }
  return (
    <p className="mt-0.5 text-xs text-zinc-500" data-testid="last-run" data-status={run.status} data-trigger={run.trigger}>
      <span className={`whitespace-nowrap ${failed ? "text-red-700 dark:text-red-300" : ""}`}>
        Last {run.mode === "FULL" ? "full " : ""}sync {failed ? "failed " : ""}
        <time dateTime={when.toISOString()} title={formatDateTime(when)}>
          {formatRelative(when, now)}
        </time>
      </span>
      {/* Lines break only between items, after a dot. */}
      {parts.map((p) => (
        <Fragment key={p.key}>
          {"\u00a0· "}
          <span className="whitespace-nowrap">{p.node}</span>
        </Fragment>
      ))}
    </p>
  );
}
