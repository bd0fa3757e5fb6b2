import type { Metadata } from "next";
import { OverviewView } from "./_components/overview";
import { requireAdmin } from "./_lib/guard";

export const metadata: Metadata = { title: "Queues · Admin · X Bookmarker" };
export const dynamic = "force-dynamic";

export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  return <OverviewView />;
}
