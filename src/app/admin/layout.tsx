import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import type { ReactNode } from "react";
import { AppHeader } from "~/app/_components/app-header";
import { AdminShell } from "./_components/admin-shell";
import { adminSession } from "./_lib/guard";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("admin") };
}
export const dynamic = "force-dynamic";

/**
 * The console's frame, for admins. Everyone else gets the page alone, which sends them to log in
 * or answers 403 (each page checks for itself: a layout is not rendered again on navigation).
 */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const session = await adminSession();
  if (session?.user.role !== "ADMIN") return children;
  return (
    <>
      <AppHeader user={session.user} area="admin" />
      <AdminShell>{children}</AdminShell>
    </>
  );
}
