import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { HealthView } from "../_components/health";
import { requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("health");
export const dynamic = "force-dynamic";

export default async function AdminHealthPage() {
  await requireAdmin("/admin/health");
  return <HealthView />;
}
