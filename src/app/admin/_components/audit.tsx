"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId } from "react";
import { useTRPC } from "~/trpc/react";
import {
  AUDIT_ACTIONS,
  AUDIT_LABELS,
  errorText,
  isAuditAction,
  jobHref,
  queueKeyOf,
  QUEUES,
  QUEUE_KEYS,
  type AuditAction,
  type AuditEntry,
  type QueueKey,
} from "./admin-lib";
import { Empty, ErrorNotice, PageTitle, Pager, SkeletonRows, useNow, When } from "./ui";

const LIMIT = 25;
const SELECT =
  "rounded-full border border-zinc-300 bg-white py-1 pr-2 pl-3 text-sm text-zinc-700 hover:border-zinc-400 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-200 dark:hover:border-zinc-600";

export interface AuditQuery {
  action: AuditAction | null;
  queue: QueueKey | null;
  offset: number;
}

function auditHref(q: AuditQuery): string {
  const p = new URLSearchParams();
  if (q.action) p.set("action", q.action);
  if (q.queue) p.set("queue", q.queue);
  if (q.offset) p.set("offset", String(q.offset));
  const s = p.toString();
  return s ? `/admin/audit?${s}` : "/admin/audit";
}

export function AuditView({ query }: { query: AuditQuery }) {
  const trpc = useTRPC();
  const router = useRouter();
  const now = useNow(15_000);
  const id = useId();
  const audit = useQuery({
    ...trpc.admin.auditLog.queryOptions({
      action: query.action ?? undefined,
      queue: query.queue ?? undefined,
      offset: query.offset,
      limit: LIMIT,
    }),
    placeholderData: keepPreviousData,
  });
  const go = (p: Partial<AuditQuery>) => router.push(auditHref({ ...query, offset: 0, ...p }), { scroll: false });
  const filtered = query.action !== null || query.queue !== null;

  return (
    <>
      <PageTitle title="Audit log">Every admin action: who did what, when, on which queue and job. Newest first.</PageTitle>
      <div className="mb-4 flex flex-wrap items-center gap-3 text-sm">
        <label htmlFor={`${id}-action`} className="text-zinc-600 dark:text-zinc-400">
          Action
        </label>
        <select
          id={`${id}-action`}
          value={query.action ?? ""}
          onChange={(e) => go({ action: isAuditAction(e.target.value) ? e.target.value : null })}
          className={SELECT}
          data-testid="audit-action-filter"
        >
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {AUDIT_LABELS[a]}
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-queue`} className="text-zinc-600 dark:text-zinc-400">
          Queue
        </label>
        <select
          id={`${id}-queue`}
          value={query.queue ?? ""}
          onChange={(e) => go({ queue: QUEUE_KEYS.find((k) => k === e.target.value) ?? null })}
          className={SELECT}
        >
          <option value="">All queues</option>
          {QUEUE_KEYS.map((k) => (
            <option key={k} value={k}>
              {QUEUES[k].title}
            </option>
          ))}
        </select>
        {filtered && (
          <Link
            href="/admin/audit"
            className="rounded-full px-3 py-1 text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"
          >
            Clear filters
          </Link>
        )}
      </div>

      {audit.isPending && <SkeletonRows rows={6} label="Loading the audit log" />}
      {audit.isError && !audit.data && (
        <ErrorNotice what="the audit log" message={errorText(audit.error)} onRetry={() => void audit.refetch()} />
      )}
      {audit.data && audit.data.items.length === 0 && (
        <Empty testId="no-audit">
          {filtered ? "No admin action matches these filters." : "No admin has acted yet. Actions on queues, jobs and users show up here."}
        </Empty>
      )}
      {audit.data && audit.data.items.length > 0 && (
        <>
          <div
            className={`overflow-x-auto rounded-2xl border border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900 ${audit.isPlaceholderData ? "opacity-60" : ""}`}
          >
            <AuditTable items={audit.data.items} now={now} />
          </div>
          <Pager
            offset={audit.data.offset}
            limit={audit.data.limit}
            total={audit.data.total}
            busy={audit.isFetching}
            onOffset={(o) => go({ offset: o })}
          />
        </>
      )}
    </>
  );
}

/** The detail's fields in one line: "state: failed · olderThanHours: 24 · removed: 3". */
function detailLine(detail: unknown): string {
  if (!detail || typeof detail !== "object" || Array.isArray(detail)) return "";
  return Object.entries(detail as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0))
    .map(
      ([k, v]) =>
        `${k}: ${Array.isArray(v) ? `${v.length} item${v.length === 1 ? "" : "s"}` : typeof v === "object" ? JSON.stringify(v) : String(v)}`,
    )
    .join(" · ");
}

export function AuditTable({ items, now, compact = false }: { items: AuditEntry[]; now: number; compact?: boolean }) {
  return (
    <table className="w-full text-left text-sm" data-testid="audit-table">
      <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
        <tr>
          <th scope="col" className="px-3 py-2 font-medium">
            When
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            Who
          </th>
          <th scope="col" className="px-3 py-2 font-medium">
            What
          </th>
          {!compact && (
            <>
              <th scope="col" className="px-3 py-2 font-medium">
                Queue
              </th>
              <th scope="col" className="px-3 py-2 font-medium">
                Job
              </th>
            </>
          )}
          <th scope="col" className="px-3 py-2 font-medium">
            Detail
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {items.map((e) => {
          const key = queueKeyOf(e.queue);
          const line = detailLine(e.detail);
          return (
            <tr key={e.id} className="align-top" data-testid="audit-row" data-action={e.action}>
              <td className="px-3 py-2 text-xs">
                <When date={e.at} now={now} />
              </td>
              <td className="px-3 py-2 whitespace-nowrap">{e.actor.handle ? `@${e.actor.handle}` : (e.actor.id ?? "deleted user")}</td>
              <td className="px-3 py-2 whitespace-nowrap">
                {AUDIT_LABELS[e.action] ?? e.action}
                <span className="block font-mono text-xs text-zinc-500">{e.action}</span>
              </td>
              {!compact && (
                <>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {key ? QUEUES[key].title : <span className="font-mono text-xs">{e.queue}</span>}
                  </td>
                  <td className="px-3 py-2">
                    {e.jobId ? (
                      key ? (
                        <Link
                          href={jobHref(key, e.jobId)}
                          className="font-mono text-xs text-sky-700 hover:underline dark:text-sky-400"
                          data-testid="audit-job-link"
                        >
                          {e.jobId.length > 14 ? `${e.jobId.slice(0, 12)}…` : e.jobId}
                        </Link>
                      ) : (
                        <span className="font-mono text-xs">{e.jobId}</span>
                      )
                    ) : (
                      <span className="text-zinc-400">—</span>
                    )}
                  </td>
                </>
              )}
              <td className="max-w-md px-3 py-2 text-xs text-zinc-600 dark:text-zinc-400">
                {line ? (
                  <details>
                    <summary className="cursor-pointer break-words">{line}</summary>
                    <pre className="mt-1 overflow-auto rounded bg-zinc-100 p-2 font-mono dark:bg-zinc-800">
                      {JSON.stringify(e.detail, null, 2)}
                    </pre>
                  </details>
                ) : (
                  <span className="text-zinc-400">—</span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
