import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { WorkersView } from "../_components/workers";
import { requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("workers");
export const dynamic = "force-dynamic";

export default async function AdminWorkersPage() {
  await requireAdmin("/admin/workers");
  return <WorkersView />;
}
