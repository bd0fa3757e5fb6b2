"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { errorText, formatBytes } from "./admin-lib";
import { Badge, Card, ErrorNotice, PageTitle, SkeletonRows } from "./ui";
import { TD, Table } from "./workers";

/** What each link of the fallback chain means while it is in force (README → "When a part fails"). */
const ISOLATION_TEXT = {
  maintenance: "Postgres is down: every page and API call answers with the maintenance notice.",
  "no-live-updates":
    "Redis is down: reads come from Postgres (no cache), writes are saved, pages refetch every 30 s instead of live updates; new syncs cannot be queued.",
  "syncs-wait":
    "X is down or the circuit breaker is open: the library works from what is stored; syncs wait and resume when the breaker closes.",
} as const;

const PART_TONE = { ok: "emerald", down: "red", open: "red", half_open: "amber", unknown: "zinc" } as const;

/** The admin's Health page: the fallback chain now, and how the large JSON columns are stored. */
export function HealthView() {
  const trpc = useTRPC();
  const status = useQuery(trpc.admin.systemStatus.queryOptions(undefined, { refetchInterval: 10_000 }));
  const storage = useQuery(trpc.admin.storage.queryOptions());
  const s = status.data;
  return (
    <>
      <PageTitle title="Health">Which parts answer, which fallbacks are in force, and how stored payloads are compressed.</PageTitle>
      <div className="space-y-6">
        <Card title="Fallback chain" testId="fallback-chain">
          {status.isPending && <SkeletonRows label="Loading the status" rows={3} />}
          {status.isError && <ErrorNotice what="the status" message={errorText(status.error)} onRetry={() => void status.refetch()} />}
          {s && (
            <>
              <ul className="mb-4 flex flex-wrap gap-2 text-sm">
                {(["postgres", "redis", "x"] as const).map((part) => (
                  <li key={part} data-testid={`part-${part}`}>
                    <Badge tone={PART_TONE[s[part]]}>
                      {part === "x" ? "X" : part === "postgres" ? "Postgres" : "Redis"}: {s[part].replace("_", "-")}
                    </Badge>
                  </li>
                ))}
              </ul>
              {s.isolated.length === 0 ? (
                <p className="text-sm" data-testid="isolated-none">
                  Nothing is isolated: every part answers.
                </p>
              ) : (
                <ul className="list-disc space-y-1 pl-5 text-sm" data-testid="isolated">
                  {s.isolated.map((i) => (
                    <li key={i}>{ISOLATION_TEXT[i]}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Card>
        <Card title="Stored payload compression" testId="storage-compression">
          {storage.isPending && <SkeletonRows label="Loading the figures" rows={5} />}
          {storage.isError && <ErrorNotice what="the figures" message={errorText(storage.error)} onRetry={() => void storage.refetch()} />}
          {storage.data && (
            <Table head={["Column", "Compression", "Rows sampled", "Full size", "On disk", "Ratio", "Stored as"]}>
              {storage.data.columns.map((c) => (
                <tr key={`${c.table}.${c.column}`} className="border-b border-zinc-100 last:border-0 dark:border-zinc-900">
                  <td className={`${TD} pl-5 font-mono text-xs`}>
                    {c.table}.{c.column}
                  </td>
                  <td className={TD}>{c.setting}</td>
                  <td className={TD}>{c.rows.toLocaleString()}</td>
                  <td className={TD}>{formatBytes(c.rawBytes)}</td>
                  <td className={TD}>{formatBytes(c.storedBytes)}</td>
                  <td className={TD}>{c.ratio === null ? "–" : c.ratio.toFixed(2)}</td>
                  <td className={`${TD} pr-5 text-xs`}>
                    {Object.entries(c.byMethod)
                      .map(([m, n]) => `${m} ${n.toLocaleString()}`)
                      .join(", ")}
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      </div>
    </>
  );
}
