import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { adminMetadata } from "~/app/admin/_lib/title";
import { isQueueKey } from "../../../_components/admin-lib";
import { JobDetailView } from "../../../_components/job-detail";
import { requireAdmin } from "../../../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("job");
export const dynamic = "force-dynamic";

export default async function AdminJobPage({ params }: { params: Promise<{ queue: string; id: string }> }) {
  const { queue, id } = await params;
  const jobId = decoded(id);
  await requireAdmin(`/admin/jobs/${encodeURIComponent(queue)}/${encodeURIComponent(jobId)}`);
  if (!isQueueKey(queue) || jobId.trim() === "" || jobId.length > 200) notFound();
  return <JobDetailView key={`${queue}/${jobId}`} queue={queue} jobId={jobId} />;
}

/** Next hands dynamic segments over decoded in some versions and not in others. */
function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
