import type { Metadata } from "next";
import { adminMetadata } from "~/app/admin/_lib/title";
import { OverviewView } from "./_components/overview";
import { requireAdmin } from "./_lib/guard";

export const generateMetadata = (): Promise<Metadata> => adminMetadata("queues");
export const dynamic = "force-dynamic";

export default async function AdminOverviewPage() {
  await requireAdmin("/admin");
  return <OverviewView />;
}
