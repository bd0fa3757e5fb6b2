import type { JobDetail } from "./admin-lib";
import { Card } from "./ui";

/** Why the job failed (now or in an earlier attempt), with stack traces. */
export function JobFailure({ job }: { job: JobDetail }) {
  if (!job.failedReason && job.stacktrace.length === 0) return null;
  return (
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
  );
}

/** The lines the worker logged for the job. */
export function JobLogs({ job }: { job: JobDetail }) {
  return (
    <Card
      title="Logs"
      testId="job-logs"
      actions={
        <span className="text-xs text-zinc-500 tabular-nums">
          {job.logs.truncated
            ? `first ${job.logs.lines.length} of ${job.logs.total} lines`
            : `${job.logs.total} line${job.logs.total === 1 ? "" : "s"}`}
        </span>
      }
    >
      {job.logs.lines.length === 0 ? (
        <p className="text-sm text-zinc-500">The worker has written nothing for this job yet.</p>
      ) : (
        <ol
          className="max-h-96 overflow-auto rounded-lg bg-zinc-950 py-2 font-mono text-xs leading-relaxed text-zinc-100 dark:bg-black"
          aria-label="Log lines"
        >
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
  );
}
