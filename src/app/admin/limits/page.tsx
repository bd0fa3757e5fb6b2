import type { Metadata } from "next";
import { LimitsView } from "../_components/limits";
import { requireAdmin } from "../_lib/guard";

export const metadata: Metadata = { title: "Limits · Admin · X Bookmarker" };
export const dynamic = "force-dynamic";

export default async function AdminLimitsPage() {
  await requireAdmin("/admin/limits");
  return <LimitsView />;
}
