import type { Metadata } from "next";
import { WorkersView } from "../_components/workers";
import { requireAdmin } from "../_lib/guard";

export const metadata: Metadata = { title: "Workers · Admin · X Bookmarker" };
export const dynamic = "force-dynamic";

export default async function AdminWorkersPage() {
  await requireAdmin("/admin/workers");
  return <WorkersView />;
}
