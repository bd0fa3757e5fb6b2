"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type MouseEvent } from "react";
import { useTRPC } from "~/trpc/react";
import {
  errorText,
  jobHref,
  jobsHref,
  JOB_STATES,
  PHASE_LABELS,
  QUEUES,
  QUEUE_KEYS,
  STATE_META,
  userLabel,
  type JobState,
  type JobSummary,
  type QueueKey,
} from "./admin-lib";
import { BTN, Empty, ErrorNotice, FIELD_CLASS, PageTitle, Pager, ProgressBar, SkeletonRows, StateBadge, useNow, When } from "./ui";

const LIMIT = 25;

export interface JobsQuery {
  queue: QueueKey;
  /** "all": every state (only with a user search). */
  state: JobState | "all";
  user: string;
  offset: number;
}

export function JobsView({ query }: { query: JobsQuery }) {
  const trpc = useTRPC();
  const router = useRouter();
  const now = useNow(5_000);
  const { queue, user, offset } = query;
  const searching = queue === "sync" && user !== "";
  const state = query.state === "all" && !searching ? "waiting" : query.state;
  const jobs = useQuery({
    ...trpc.admin.jobs.queryOptions({
      queue,
      state: state === "all" ? undefined : state,
      user: searching ? user : undefined,
      offset,
      limit: LIMIT,
    }),
    placeholderData: keepPreviousData,
  });
  const overview = useQuery(trpc.admin.overview.queryOptions());
  const counts = overview.data?.queues.find((q) => q.key === queue)?.counts;
  const go = (p: Partial<JobsQuery>) =>
    router.push(jobsHref({ queue, state, user: searching ? user : undefined, offset: 0, ...p }), { scroll: false });

  const tabs: (JobState | "all")[] = searching ? ["all", ...JOB_STATES] : [...JOB_STATES];
  const data = jobs.data;
  const matched = data?.matchedUsers ?? null;

  return (
    <>
      <PageTitle title="Jobs">
        {QUEUES[queue].about}
        {searching ? ", of one user" : ""}, newest first for finished jobs, next to run first otherwise.
      </PageTitle>

      <div className="mb-4 flex flex-wrap items-center gap-3">
        <div role="group" aria-label="Queue" className="inline-flex rounded-full bg-zinc-100 p-0.5 text-sm dark:bg-zinc-800">
          {QUEUE_KEYS.map((k) => (
            <Link
              key={k}
              href={jobsHref({ queue: k, state: state === "all" ? "waiting" : state })}
              aria-current={k === queue ? "page" : undefined}
              data-testid={`queue-tab-${k}`}
              className={`rounded-full px-3 py-1 ${k === queue ? "bg-white font-semibold shadow-sm dark:bg-zinc-950" : "text-zinc-600 dark:text-zinc-400"}`}
            >
              {QUEUES[k].title}
            </Link>
          ))}
        </div>
        {queue === "sync" ? (
          <UserSearch key={user} initial={user} onSearch={(u) => go({ user: u, state: u ? "all" : state === "all" ? "waiting" : state })} />
        ) : (
          <p className="text-xs text-zinc-500">Maintenance jobs belong to no user.</p>
        )}
      </div>

      <nav
        aria-label="Job states"
        className="mb-4 flex gap-1 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
        data-testid="state-tabs"
      >
        {tabs.map((t) => {
          const current = t === state;
          const count = t !== "all" && !searching ? counts?.[t] : undefined;
          return (
            <Link
              key={t}
              href={jobsHref({ queue, state: t, user: searching ? user : undefined })}
              scroll={false}
              aria-current={current ? "page" : undefined}
              data-testid={`state-tab-${t}`}
              className={`-mb-px flex items-center gap-1.5 border-b-2 px-3 py-2 text-sm whitespace-nowrap ${
                current
                  ? "border-sky-500 font-semibold text-sky-800 dark:text-sky-200"
                  : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
              }`}
            >
              {t === "all" ? "All" : STATE_META[t].label}
              {count !== undefined && (
                <span className="rounded-full bg-zinc-100 px-1.5 text-xs text-zinc-600 tabular-nums dark:bg-zinc-800 dark:text-zinc-300">
                  {count.toLocaleString()}
                </span>
              )}
            </Link>
          );
        })}
      </nav>

      {searching && matched && (
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400" data-testid="matched-users">
          {matched.length === 0
            ? `No user matches “${user}”. Search by X handle (with or without @) or by user id.`
            : `Sync jobs of ${matched.map((u) => userLabel(u)).join(", ")}${matched.length > 1 ? " (several users match)" : ""}.`}
        </p>
      )}

      {jobs.isPending && <SkeletonRows rows={6} label="Loading jobs" />}
      {jobs.isError && !data && <ErrorNotice what="the jobs" message={errorText(jobs.error)} onRetry={() => void jobs.refetch()} />}
      {data && data.items.length === 0 && (
        <Empty testId="no-jobs">
          {searching
            ? matched?.length
              ? `No ${state === "all" ? "" : `${STATE_META[state].label.toLowerCase()} `}sync jobs of this user in the queue.`
              : "No matching user."
            : `No ${STATE_META[state as JobState].label.toLowerCase()} jobs in the ${QUEUES[queue].title.toLowerCase()} queue.`}
        </Empty>
      )}
      {data && data.items.length > 0 && (
        <>
          <JobsTable items={data.items} now={now} stale={jobs.isPlaceholderData} />
          <Pager
            offset={data.offset}
            limit={data.limit}
            total={data.total}
            busy={jobs.isFetching}
            onOffset={(o) => go({ offset: o, state })}
          />
        </>
      )}
    </>
  );
}

function UserSearch({ initial, onSearch }: { initial: string; onSearch: (user: string) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <form
      role="search"
      className="flex items-center gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(value.trim());
      }}
    >
      <input
        type="search"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && initial) {
            e.preventDefault();
            setValue("");
            onSearch("");
          }
        }}
        placeholder="@handle or user id"
        aria-label="Search jobs by user (X handle or user id)"
        data-testid="job-user-search"
        maxLength={100}
        className={`${FIELD_CLASS} w-56`}
      />
      <button type="submit" className={BTN.small}>
        Search
      </button>
      {initial && (
        <button
          type="button"
          className={BTN.ghost}
          onClick={() => {
            setValue("");
            onSearch("");
          }}
        >
          Clear
        </button>
      )}
    </form>
  );
}

function JobsTable({ items, now, stale }: { items: JobSummary[]; now: number; stale: boolean }) {
  const router = useRouter();
  const open = (e: MouseEvent, href: string) => {
    // Links and buttons in the row do their own thing.
    if ((e.target as HTMLElement).closest("a,button")) return;
    if (e.metaKey || e.ctrlKey) window.open(href, "_blank");
    else router.push(href);
  };
  return (
    <div
      className={`overflow-x-auto rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 ${stale ? "opacity-60" : ""}`}
    >
      <table className="w-full text-left text-sm" data-testid="jobs-table">
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              Job
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              User
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Mode
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Progress
            </th>
            <th scope="col" className="px-3 py-2 font-medium" title="Attempts made / allowed">
              Attempts
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Created
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Started
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Finished
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              Failed reason
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {items.map((j) => {
            const href = jobHref(j.queue, j.id);
            const p = j.progress;
            return (
              <tr
                key={j.id}
                data-testid="job-row"
                data-job-id={j.id}
                data-state={j.state}
                onClick={(e) => open(e, href)}
                className="cursor-pointer align-top hover:bg-sky-50/60 dark:hover:bg-sky-950/30"
              >
                <td className="px-3 py-2">
                  <Link href={href} className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400" data-testid="job-link">
                    {j.id.length > 14 ? `${j.id.slice(0, 12)}…` : j.id}
                  </Link>
                  {j.name !== "sync" && <span className="block text-xs text-zinc-500">{j.name}</span>}
                </td>
                <td className="px-3 py-2 whitespace-nowrap" data-testid="job-user">
                  {userLabel(j.user)}
                </td>
                <td className="px-3 py-2 whitespace-nowrap">
                  {j.mode ?? "—"}
                  {j.trigger === "scheduled" && <span className="block text-xs text-zinc-500">scheduled</span>}
                </td>
                <td className="px-3 py-2">
                  <StateBadge state={j.state} />
                  {p && <span className="mt-0.5 block text-xs whitespace-nowrap text-zinc-500">{PHASE_LABELS[p.phase]}</span>}
                  {j.delayedUntil && (
                    <span className="mt-0.5 block text-xs whitespace-nowrap text-zinc-500">
                      until <When date={j.delayedUntil} now={now} />
                    </span>
                  )}
                </td>
                <td className="w-32 px-3 py-2">
                  {p ? (
                    <>
                      <ProgressBar
                        percent={p.percent}
                        determinate={p.estimatedTotal !== null || p.phase === "done"}
                        label={`Job ${j.id} progress`}
                      />
                      <span className="mt-0.5 block text-xs text-zinc-500 tabular-nums">
                        {p.fetched.toLocaleString()} fetched · {p.pages} p.
                      </span>
                    </>
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </td>
                <td className="px-3 py-2 tabular-nums" title={`started ${j.attempts.started} time(s)`}>
                  {j.attempts.made}/{j.attempts.max}
                </td>
                <td className="px-3 py-2 text-xs">
                  <When date={j.createdAt} now={now} />
                </td>
                <td className="px-3 py-2 text-xs">
                  <When date={j.processedAt} now={now} />
                </td>
                <td className="px-3 py-2 text-xs">
                  <When date={j.finishedAt} now={now} />
                </td>
                <td className="max-w-64 px-3 py-2 text-xs text-red-700 dark:text-red-300">
                  {j.failedReason ? (
                    <span className="line-clamp-2" title={j.failedReason} data-testid="job-failed-reason">
                      {j.failedReason}
                    </span>
                  ) : (
                    <span className="text-zinc-400">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
