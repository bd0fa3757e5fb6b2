import type { Metadata } from "next";
import { HealthView } from "../_components/health";
import { requireAdmin } from "../_lib/guard";

export const metadata: Metadata = { title: "Health · Admin · X Bookmarker" };
export const dynamic = "force-dynamic";

export default async function AdminHealthPage() {
  await requireAdmin("/admin/health");
  return <HealthView />;
}
