import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { LimitsView } from "../_components/limits";
import { requireAdmin } from "../_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("limits");
export const dynamic = "force-dynamic";

export default async function AdminLimitsPage() {
  await requireAdmin("/admin/limits");
  return <LimitsView />;
}
