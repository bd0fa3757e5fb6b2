import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { isAuditAction, isQueueKey } from "../_components/admin-lib";
import { AuditView } from "../_components/audit";
import { pathWithQuery, requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("audit");
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  await requireAdmin(pathWithQuery("/admin/audit", params));
  const action = one(params.action);
  const queue = one(params.queue);
  const offset = Number(one(params.offset) ?? 0);
  return (
    <AuditView
      query={{
        action: isAuditAction(action) ? action : null,
        queue: isQueueKey(queue) ? queue : null,
        offset: Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000 ? offset : 0,
      }}
    />
  );
}
