import { errorText, type JobDetail } from "./admin-lib";
import { ConfirmAction } from "./ui";
import type { JobActions } from "./use-job-actions";

/** The confirmation for the action the admin chose on a job (retry, run now, remove). */
export function JobActionDialog({ job, actions }: { job: JobDetail; actions: JobActions }) {
  const { action, retry, promote, remove, close } = actions;
  const ref = { queue: job.queue, jobId: job.id };
  return (
    <>
      {action === "retry" && (
        <ConfirmAction
          title="Retry this job?"
          confirmLabel="Retry job"
          onConfirm={() => retry.mutate(ref)}
          onClose={close}
          pending={retry.isPending}
          error={errorText(retry.error)}
        >
          <p>The job goes back to the queue with a fresh set of attempts.</p>
          {job.queue === "sync" && (
            <p>Its sync run is reopened and continues from its last saved page. Refused if the user already has another sync open.</p>
          )}
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
          {job.progress?.phase === "waiting_rate_limit" && (
            <p>It was waiting for X’s rate limit: running it early will likely hit the limit again.</p>
          )}
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
    </>
  );
}
