"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { formatSpan } from "~/app/_components/format";
import { useTRPC } from "~/trpc/react";
import { errorText, formatAge, formatBytes, QUEUES, TONES, userLabel, type WorkersOverview } from "./admin-lib";
import { Badge, BTN, Card, ErrorNotice, PageTitle, SkeletonRows, useNow, When } from "./ui";

type Section<T> = { ok: true; value: T } | { ok: false; error: string };
type Value<K extends keyof WorkersOverview> = WorkersOverview[K] extends Section<infer T> ? T : never;

/** One section of the page: its figures, or why they could not be had (the others still show). */
function SectionCard<T>({
  title,
  section,
  testId,
  children,
}: {
  title: string;
  section: Section<T>;
  testId: string;
  children: (value: T) => ReactNode;
}) {
  return (
    <Card title={title} testId={testId}>
      {section.ok ? (
        children(section.value)
      ) : (
        <p
          role="alert"
          className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          data-testid="section-error"
        >
          Could not read this: {section.error}
        </p>
      )}
    </Card>
  );
}

const TH = "px-3 py-2 font-medium";
export const TD = "px-3 py-2";

export function Table({ head, children, testId }: { head: string[]; children: ReactNode; testId?: string }) {
  return (
    <div className="-mx-5 overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid={testId}>
        <thead className="border-b border-zinc-200 text-xs text-zinc-500 dark:border-zinc-800">
          <tr>
            {head.map((h) => (
              <th key={h} scope="col" className={`${TH} first:pl-5 last:pr-5`}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800 [&_td:first-child]:pl-5 [&_td:last-child]:pr-5">{children}</tbody>
      </table>
    </div>
  );
}

/** A share of something as a small bar: "12 / 100". */
function Meter({ value, max, label, warnAt = 0.8 }: { value: number; max: number; label: string; warnAt?: number }) {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  const colour = share >= 0.95 ? "bg-red-500" : share >= warnAt ? "bg-amber-500" : "bg-sky-500";
  return (
    <div
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      className="h-1.5 w-24 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div className={`h-full rounded-full ${colour}`} style={{ width: `${Math.max(2, share * 100)}%` }} />
    </div>
  );
}

const BREAKER: Record<Value<"breakers">[number]["state"], { label: string; tone: keyof typeof TONES; about: string }> = {
  closed: { label: "closed", tone: "emerald", about: "X answers normally; requests go through" },
  half_open: { label: "half-open", tone: "amber", about: "Trying X again with a first request" },
  open: { label: "open", tone: "red", about: "X kept failing; requests wait until the retry time" },
};

export function WorkersView() {
  const trpc = useTRPC();
  const now = useNow(1_000);
  const q = useQuery(trpc.admin.workers.queryOptions());

  return (
    <>
      <PageTitle
        title="Workers and dependencies"
        actions={
          <>
            {q.data && (
              <span className="text-xs text-zinc-500">
                as of <When date={q.data.at} now={now} />
              </span>
            )}
            <button
              type="button"
              className={BTN.small}
              onClick={() => void q.refetch()}
              disabled={q.isFetching}
              data-testid="refresh-workers"
            >
              {q.isFetching ? "Refreshing…" : "Refresh"}
            </button>
          </>
        }
      >
        Who runs the jobs, how X is treating them, and how Redis and Postgres are doing.
      </PageTitle>
      {q.isPending && <SkeletonRows rows={8} label="Loading workers and dependencies" />}
      {q.isError && !q.data && (
        <ErrorNotice what="workers and dependencies" message={errorText(q.error)} onRetry={() => void q.refetch()} />
      )}
      {q.data && <Sections data={q.data} now={now} />}
    </>
  );
}

function Sections({ data, now }: { data: WorkersOverview; now: number }) {
  return (
    <div className="space-y-6">
      <SectionCard title="Connected workers" section={data.workers} testId="workers-section">
        {(workers) =>
          workers.length === 0 ? (
            <p className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              No worker is connected: jobs wait until one starts.
            </p>
          ) : (
            <Table head={["Queue", "Worker", "Concurrency", "Address", "Connected", "Last heartbeat"]} testId="workers-table">
              {workers.map((w) => {
                const idle = w.lastSeenAt ? now - w.lastSeenAt.getTime() : null;
                return (
                  <tr key={`${w.queue}-${w.workerId}-${w.addr ?? ""}`} data-testid="worker-row">
                    <td className={TD}>{QUEUES[w.queue].title}</td>
                    <td className={`${TD} font-mono text-xs`}>{w.workerId}</td>
                    <td className={`${TD} tabular-nums`}>{w.concurrency ?? "—"}</td>
                    <td className={`${TD} font-mono text-xs`}>{w.addr ?? "—"}</td>
                    <td className={`${TD} text-xs`}>
                      <When date={w.connectedSince} now={now} />
                    </td>
                    <td className={`${TD} text-xs`}>
                      {idle === null ? (
                        "—"
                      ) : (
                        <span
                          className={idle > 60_000 ? "font-medium text-amber-700 dark:text-amber-300" : ""}
                          title={w.lastSeenAt?.toLocaleString()}
                        >
                          {formatAge(idle)} ago
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </Table>
          )
        }
      </SectionCard>

      <div className="grid gap-6 lg:grid-cols-2">
        <SectionCard title="X circuit breakers" section={data.breakers} testId="breakers-section">
          {(breakers) =>
            breakers.length === 0 ? (
              <p className="text-sm text-zinc-500">No worker has reported its breaker yet.</p>
            ) : (
              <ul className="space-y-3">
                {breakers.map((b) => {
                  const meta = BREAKER[b.state];
                  return (
                    <li
                      key={b.workerId}
                      className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm"
                      data-testid="breaker"
                      data-state={b.state}
                    >
                      <Badge tone={meta.tone} title={meta.about}>
                        <span aria-hidden className={`size-1.5 rounded-full ${TONES[meta.tone].dot}`} />
                        {meta.label}
                      </Badge>
                      <span className="font-mono text-xs">{b.workerId}</span>
                      <span className="text-xs text-zinc-500">
                        {b.consecutiveFailures} failure{b.consecutiveFailures === 1 ? "" : "s"} in a row · opened {b.opens} time
                        {b.opens === 1 ? "" : "s"}
                        {b.state !== "closed" && b.retryAt && (
                          <>
                            {" "}
                            · retries <When date={b.retryAt} now={now} />
                          </>
                        )}
                        {b.at && (
                          <>
                            {" "}
                            · reported <When date={b.at} now={now} />
                          </>
                        )}
                      </span>
                    </li>
                  );
                })}
              </ul>
            )
          }
        </SectionCard>

        <SectionCard title="Job schedulers" section={data.schedulers} testId="schedulers-section">
          {(schedulers) =>
            schedulers.length === 0 ? (
              <p className="text-sm text-zinc-500">No job scheduler is set up.</p>
            ) : (
              <ul className="space-y-3">
                {schedulers.map((s) => (
                  <li key={`${s.queue}-${s.id}`} className="text-sm" data-testid="scheduler">
                    <span className="font-medium">{s.name}</span>{" "}
                    <span className="text-xs text-zinc-500">({QUEUES[s.queue].title} queue)</span>
                    <span className="block text-xs text-zinc-500">
                      {s.every ? `every ${formatSpan(s.every)}` : s.pattern ? <code>{s.pattern}</code> : "—"}
                      {" · next run "}
                      {s.next ? <When date={s.next} now={now} /> : "not planned"}
                      {s.iterationCount !== null && ` · ran ${s.iterationCount} time${s.iterationCount === 1 ? "" : "s"}`}
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </SectionCard>
      </div>

      <SectionCard title="X rate limits per user" section={data.rateLimits} testId="rate-limits-section">
        {(limits) =>
          limits.length === 0 ? (
            <p className="text-sm text-zinc-500">No recent answers from X: nobody has synced within X’s current rate-limit windows.</p>
          ) : (
            <Table head={["User", "Endpoint", "Remaining", "Used", "Resets", "As of"]} testId="rate-limits-table">
              {[...limits]
                .sort((a, b) => a.remaining / (a.limit || 1) - b.remaining / (b.limit || 1))
                .map((l) => (
                  <tr key={l.userId} data-testid="rate-limit-row">
                    <td className={TD}>{userLabel({ id: l.userId, handle: l.handle })}</td>
                    <td className={`${TD} font-mono text-xs`}>{l.endpoint}</td>
                    <td className={`${TD} tabular-nums`}>
                      {l.remaining.toLocaleString()} / {l.limit.toLocaleString()}
                    </td>
                    <td className={TD}>
                      <Meter value={l.limit - l.remaining} max={l.limit} label={`Requests used of ${l.limit}`} />
                    </td>
                    <td className={`${TD} text-xs`}>
                      <When date={l.resetAt} now={now} />
                    </td>
                    <td className={`${TD} text-xs`}>
                      <When date={l.at} now={now} />
                    </td>
                  </tr>
                ))}
            </Table>
          )
        }
      </SectionCard>

      <div className="grid gap-6 lg:grid-cols-2">
        <SectionCard title="Redis memory" section={data.redis} testId="redis-section">
          {(r) => (
            <dl className="grid grid-cols-2 gap-4 text-sm">
              <div>
                <dt className="text-xs text-zinc-500">Used</dt>
                <dd className="text-lg font-semibold tabular-nums" data-testid="redis-used">
                  {r.usedMemoryHuman ?? (r.usedMemory !== null ? formatBytes(r.usedMemory) : "—")}
                </dd>
                {r.usedMemory !== null && r.maxmemory ? (
                  <Meter value={r.usedMemory} max={r.maxmemory} label="Redis memory used of its limit" />
                ) : null}
              </div>
              <div>
                <dt className="text-xs text-zinc-500">Limit</dt>
                <dd className="tabular-nums">{r.maxmemory ? (r.maxmemoryHuman ?? formatBytes(r.maxmemory)) : "no limit set"}</dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">Peak</dt>
                <dd className="tabular-nums">{r.usedMemoryPeakHuman ?? "—"}</dd>
              </div>
              <div>
                <dt className="text-xs text-zinc-500">When full</dt>
                <dd>
                  <code className="text-xs">{r.maxmemoryPolicy ?? "—"}</code>
                  {r.maxmemoryPolicy && r.maxmemoryPolicy !== "noeviction" && (
                    <span className="block text-xs text-amber-700 dark:text-amber-300">
                      BullMQ needs noeviction: jobs could be evicted.
                    </span>
                  )}
                </dd>
              </div>
            </dl>
          )}
        </SectionCard>

        <SectionCard title="Postgres connections" section={data.postgres} testId="postgres-section">
          {(pg) => (
            <div className="text-sm">
              <div className="flex flex-wrap items-center gap-3">
                <span className="text-lg font-semibold tabular-nums" data-testid="pg-total">
                  {pg.serverTotal} / {pg.maxConnections}
                </span>
                <Meter value={pg.serverTotal} max={pg.maxConnections} label="Client connections of the server’s limit" />
                <span className="text-xs text-zinc-500">client connections to the server, of max_connections</span>
              </div>
              <p className="mt-3 mb-1 text-xs text-zinc-500">
                This database: {pg.database} connection{pg.database === 1 ? "" : "s"}, by state
              </p>
              <ul className="space-y-1">
                {pg.byState.map((s) => (
                  <li key={s.state} className="flex items-center gap-2">
                    <span className="w-36 truncate">{s.state}</span>
                    <span className="w-8 text-right tabular-nums">{s.count}</span>
                    <Meter value={s.count} max={Math.max(1, pg.database)} label={`${s.state} connections`} warnAt={2} />
                  </li>
                ))}
              </ul>
            </div>
          )}
        </SectionCard>
      </div>
    </div>
  );
}
