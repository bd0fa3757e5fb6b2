"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "~/trpc/react";
import { errorText, userLabel } from "./admin-lib";
import { BTN, Card, ErrorNotice, PageTitle, SkeletonRows, useNow, When } from "./ui";
import { Table, TD } from "./workers";

/** What each limit counts, in the words the table uses. */
const LIMITS: Record<string, string> = {
  calls: "Requests per minute",
  syncStarts: "Sync starts per hour",
  exports: "Exports per hour",
  exportSlot: "One export at a time",
  login: "Log-in attempts per IP",
  imports: "Import uploads per hour",
  importSlot: "One import upload at a time",
};

/** Who the per-user and per-IP limits refused in the last 24 hours (admin.limited). */
export function LimitsView() {
  const trpc = useTRPC();
  const now = useNow(5_000);
  const q = useQuery({ ...trpc.admin.limited.queryOptions(), refetchInterval: 15_000 });
  return (
    <>
      <PageTitle
        title="Limits"
        actions={
          <button type="button" className={BTN.small} onClick={() => void q.refetch()} disabled={q.isFetching} data-testid="refresh-limits">
            {q.isFetching ? "Refreshing…" : "Refresh"}
          </button>
        }
      >
        Users and addresses refused by a limit (HTTP 429) in the last 24 hours, most recent first. The limits are settings: see the README’s
        “Limits”.
      </PageTitle>
      {q.isPending && <SkeletonRows rows={4} label="Loading limited users" />}
      {q.isError && !q.data && <ErrorNotice what="limited users" message={errorText(q.error)} onRetry={() => void q.refetch()} />}
      {q.data && (
        <Card testId="limited-section">
          {q.data.rows.length === 0 ? (
            <p className="text-sm text-zinc-500">Nobody has been limited in the last 24 hours.</p>
          ) : (
            <Table head={["Who", "Limit", "Refused (24 h)", "Last refused"]} testId="limited-table">
              {q.data.rows.map((r) => (
                <tr key={`${r.limit}|${r.kind}|${r.id}`} data-testid="limited-row">
                  <td className={TD}>
                    {r.kind === "user" ? userLabel({ id: r.id, handle: r.handle }) : <span className="font-mono text-xs">IP {r.id}</span>}
                  </td>
                  <td className={TD}>{LIMITS[r.limit] ?? r.limit}</td>
                  <td className={`${TD} tabular-nums`}>{r.count.toLocaleString()}</td>
                  <td className={`${TD} text-xs`}>
                    <When date={r.lastAt} now={now} />
                  </td>
                </tr>
              ))}
            </Table>
          )}
        </Card>
      )}
    </>
  );
}
