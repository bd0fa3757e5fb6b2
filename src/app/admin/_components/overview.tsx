"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { useToast } from "~/app/_components/toast";
import { useTRPC } from "~/trpc/react";
import { errorText, formatAge, jobHref, jobsHref, JOB_STATES, QUEUES, STATE_META, type JobState, type QueueOverview } from "./admin-lib";
import { useAdminLive } from "./admin-live";
import { ThroughputChart } from "./throughput-chart";
import { Badge, BTN, Card, ConfirmAction, ErrorNotice, FIELD_CLASS, PageTitle, useNow, When } from "./ui";

export function OverviewView() {
  const trpc = useTRPC();
  const overview = useQuery(trpc.admin.overview.queryOptions());
  const live = useAdminLive();
  const now = useNow(1_000);

  return (
    <>
      <PageTitle title="Queues">
        What the queues hold right now and what they did in the last hour
        {live.status === "live" ? ", updated as it happens." : "."}
        {overview.data && (
          <>
            {" "}
            As of <When date={overview.data.at} now={now} />.
          </>
        )}
      </PageTitle>
      {overview.isPending && <OverviewSkeleton />}
      {overview.isError && !overview.data && (
        <ErrorNotice what="the queues" message={overview.error.message} onRetry={() => void overview.refetch()} />
      )}
      {overview.data && (
        <div className="space-y-6">
          {overview.isError && (
            <p role="alert" className="text-sm text-amber-800 dark:text-amber-200">
              Could not refresh ({overview.error.message}); showing the last figures.
            </p>
          )}
          {overview.data.queues.map((q) => (
            <QueueCard key={q.key} queue={q} now={now} />
          ))}
        </div>
      )}
    </>
  );
}

function OverviewSkeleton() {
  return (
    <div role="status" aria-busy="true" aria-label="Loading the queues" className="space-y-6">
      {[0, 1].map((i) => (
        <div key={i} className="h-72 animate-pulse rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900" />
      ))}
    </div>
  );
}

const TILE_TONE: Partial<Record<JobState, string>> = {
  active: "text-sky-700 dark:text-sky-300",
  failed: "text-red-700 dark:text-red-300",
  paused: "text-amber-700 dark:text-amber-300",
  delayed: "text-violet-700 dark:text-violet-300",
};

type Dialog = null | "pause" | "resume" | "retryAll" | "clean";

function QueueCard({ queue, now }: { queue: QueueOverview; now: number }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [dialog, setDialog] = useState<Dialog>(null);
  const meta = QUEUES[queue.key];
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() });
  const done = (text: string) => {
    setDialog(null);
    toast({ text });
    refresh();
  };

  const pause = useMutation(
    trpc.admin.pauseQueue.mutationOptions({ onSuccess: () => done(`${meta.title} queue paused: no new jobs start.`) }),
  );
  const resume = useMutation(trpc.admin.resumeQueue.mutationOptions({ onSuccess: () => done(`${meta.title} queue resumed.`) }));
  const retryAll = useMutation(
    trpc.admin.retryAllFailed.mutationOptions({
      onSuccess: (r) =>
        done(
          `Retried ${r.retried} failed job${r.retried === 1 ? "" : "s"}${
            r.skipped.length ? `; ${r.skipped.length} left failed (${r.skipped[0]!.reason})` : ""
          }.`,
        ),
    }),
  );
  const close = () => {
    setDialog(null);
    pause.reset();
    resume.reset();
    retryAll.reset();
  };

  const oldest = queue.oldestWaiting;
  return (
    <Card
      testId={`queue-${queue.key}`}
      title={
        <span className="flex flex-wrap items-center gap-2">
          {meta.title} queue
          <span className="font-mono text-xs font-normal text-zinc-500">{queue.name}</span>
          {queue.isPaused && (
            <Badge tone="amber" testId="paused-badge" title="Workers start no new job from this queue until it is resumed">
              Paused
            </Badge>
          )}
        </span>
      }
      actions={
        queue.isPaused ? (
          <button type="button" className={BTN.primary} onClick={() => setDialog("resume")} data-testid="resume-queue">
            Resume
          </button>
        ) : (
          <button type="button" className={BTN.secondary} onClick={() => setDialog("pause")} data-testid="pause-queue">
            Pause
          </button>
        )
      }
    >
      <p className="-mt-2 mb-4 text-sm text-zinc-500">{meta.about}</p>

      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-7" aria-label={`${meta.title} queue: jobs by state`}>
        {JOB_STATES.map((state) => {
          const count = queue.counts[state];
          return (
            <li key={state}>
              <Link
                href={jobsHref({ queue: queue.key, state })}
                data-testid={`count-${state}`}
                data-count={count}
                title={STATE_META[state].about}
                className="block rounded-xl border border-zinc-200 px-3 py-2 hover:border-sky-400 hover:bg-sky-50/50 dark:border-zinc-800 dark:hover:border-sky-700 dark:hover:bg-sky-950/30"
              >
                <span
                  className={`block text-2xl font-semibold tabular-nums ${count > 0 ? (TILE_TONE[state] ?? "") : "text-zinc-400 dark:text-zinc-600"}`}
                >
                  {count.toLocaleString()}
                </span>
                <span className="text-xs text-zinc-500">{STATE_META[state].label}</span>
              </Link>
            </li>
          );
        })}
      </ul>

      <div className="mt-5 grid gap-5 md:grid-cols-[1fr_16rem]">
        <ThroughputChart points={queue.perMinute} label={`${meta.title} queue, jobs per minute`} />
        {/* The buttons sit after the list: a <dl> may hold only dt/dd groups (axe definition-list). */}
        <div className="space-y-3 text-sm">
          <dl className="space-y-3">
            <div>
              <dt className="text-xs text-zinc-500">Last hour</dt>
              <dd className="tabular-nums" data-testid="last-hour">
                <span className="font-medium text-emerald-700 dark:text-emerald-300">
                  {queue.lastHour.completed.toLocaleString()} completed
                </span>
                {" · "}
                <span className={queue.lastHour.failed > 0 ? "font-medium text-red-700 dark:text-red-300" : ""}>
                  {queue.lastHour.failed.toLocaleString()} failed
                </span>
              </dd>
            </div>
            <div>
              <dt className="text-xs text-zinc-500">Oldest waiting job</dt>
              <dd data-testid="oldest-waiting">
                {oldest ? (
                  <>
                    <span className="font-medium tabular-nums">{formatAge(now - oldest.since.getTime())}</span> old ·{" "}
                    <Link
                      href={jobHref(queue.key, oldest.jobId)}
                      className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400"
                    >
                      {oldest.jobId}
                    </Link>
                    <span className="block text-xs text-zinc-500">
                      waiting since <When date={oldest.since} now={now} />
                    </span>
                  </>
                ) : (
                  <span className="text-zinc-500">Nothing is waiting.</span>
                )}
              </dd>
            </div>
          </dl>
          <div className="flex flex-wrap gap-2 pt-1">
            <button
              type="button"
              className={BTN.small}
              disabled={queue.counts.failed === 0}
              onClick={() => setDialog("retryAll")}
              data-testid="retry-all-failed"
            >
              Retry all failed
            </button>
            <button type="button" className={BTN.small} onClick={() => setDialog("clean")} data-testid="clean-queue">
              Clean old jobs…
            </button>
          </div>
        </div>
      </div>

      {dialog === "pause" && (
        <ConfirmAction
          title={`Pause the ${meta.title.toLowerCase()} queue?`}
          confirmLabel="Pause queue"
          onConfirm={() => pause.mutate({ queue: queue.key })}
          onClose={close}
          pending={pause.isPending}
          error={errorText(pause.error)}
        >
          <p>Workers finish the jobs they are running, but start no new ones. New jobs still queue up and are shown as paused.</p>
          {queue.key === "sync" && <p>People pressing Sync will see their sync wait until the queue is resumed.</p>}
        </ConfirmAction>
      )}
      {dialog === "resume" && (
        <ConfirmAction
          title={`Resume the ${meta.title.toLowerCase()} queue?`}
          confirmLabel="Resume queue"
          onConfirm={() => resume.mutate({ queue: queue.key })}
          onClose={close}
          pending={resume.isPending}
          error={errorText(resume.error)}
        >
          <p>
            Workers start taking jobs again: {queue.counts.paused.toLocaleString()} paused job{queue.counts.paused === 1 ? "" : "s"} will
            run.
          </p>
        </ConfirmAction>
      )}
      {dialog === "retryAll" && (
        <ConfirmAction
          title="Retry all failed jobs?"
          confirmLabel={`Retry ${queue.counts.failed.toLocaleString()}`}
          onConfirm={() => retryAll.mutate({ queue: queue.key })}
          onClose={close}
          pending={retryAll.isPending}
          error={errorText(retryAll.error)}
        >
          <p>
            {queue.counts.failed.toLocaleString()} failed job{queue.counts.failed === 1 ? "" : "s"} go back to the queue with a fresh set of
            attempts.
          </p>
          {queue.key === "sync" && (
            <p>Each sync resumes from its checkpoint. A user who already has another sync open keeps this one failed.</p>
          )}
        </ConfirmAction>
      )}
      {dialog === "clean" && <CleanDialog queue={queue} onDone={done} onClose={close} />}
    </Card>
  );
}

function CleanDialog({ queue, onDone, onClose }: { queue: QueueOverview; onDone: (text: string) => void; onClose: () => void }) {
  const trpc = useTRPC();
  const mutation = useMutation(
    trpc.admin.cleanQueue.mutationOptions({
      onSuccess: (r, v) =>
        onDone(`Removed ${r.removed} ${r.state} job${r.removed === 1 ? "" : "s"} that finished more than ${v.olderThanHours} h ago.`),
    }),
  );
  const [state, setState] = useState<"completed" | "failed">("completed");
  const [hours, setHours] = useState("24");
  const id = useId();
  const h = Number(hours);
  const valid = hours.trim() !== "" && Number.isFinite(h) && h >= 0 && h <= 24 * 365;
  return (
    <ConfirmAction
      title={`Clean the ${QUEUES[queue.key].title.toLowerCase()} queue`}
      confirmLabel="Remove jobs"
      tone="danger"
      onConfirm={() => {
        if (valid) mutation.mutate({ queue: queue.key, state, olderThanHours: h });
      }}
      onClose={onClose}
      pending={mutation.isPending}
      error={valid ? errorText(mutation.error) : "Give a number of hours between 0 and 8760."}
      extra={
        <div className="mt-4 grid gap-3 text-sm">
          <fieldset className="flex gap-4">
            <legend className="mb-1 text-xs text-zinc-500">Jobs to remove</legend>
            {(["completed", "failed"] as const).map((s) => (
              <label key={s} className="inline-flex items-center gap-1.5">
                <input
                  type="radio"
                  name={`${id}-state`}
                  value={s}
                  checked={state === s}
                  onChange={() => setState(s)}
                  className="accent-sky-600"
                />
                {STATE_META[s].label} ({queue.counts[s].toLocaleString()})
              </label>
            ))}
          </fieldset>
          <label className="flex items-center gap-2">
            <span>finished more than</span>
            <input
              type="number"
              min={0}
              max={24 * 365}
              step="any"
              inputMode="decimal"
              value={hours}
              onChange={(e) => setHours(e.target.value)}
              aria-label="Hours"
              data-testid="clean-hours"
              className={`${FIELD_CLASS} w-24`}
            />
            <span>hours ago</span>
          </label>
        </div>
      }
    >
      <p>
        Removes the job records (their logs too) from Redis. Sync runs and bookmarks in the database are not touched. This cannot be undone.
      </p>
    </ConfirmAction>
  );
}
