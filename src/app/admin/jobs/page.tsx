import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { isJobState, isQueueKey } from "../_components/admin-lib";
import { JobsView } from "../_components/jobs-list";
import { pathWithQuery, requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("jobs");
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function AdminJobsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  await requireAdmin(pathWithQuery("/admin/jobs", params));
  const queue = one(params.queue);
  const state = one(params.state);
  const offset = Number(one(params.offset) ?? 0);
  return (
    <JobsView
      query={{
        queue: isQueueKey(queue) ? queue : "sync",
        state: state === "all" || isJobState(state) ? state : "waiting",
        user: (one(params.user) ?? "").trim().slice(0, 100),
        offset: Number.isInteger(offset) && offset >= 0 && offset <= 1_000_000 ? offset : 0,
      }}
    />
  );
}
