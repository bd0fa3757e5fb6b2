import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { Suspense } from "react";
import { getAppSession } from "~/server/auth";
import { AppHeader } from "./_components/app-header";
import { LibraryView } from "./_components/library";
import { ListSkeleton } from "./_components/list-states";
import { SyncPanel } from "./_components/sync-panel";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("library") };
}

export default async function LibraryPage() {
  const session = await getAppSession();
  if (!session) redirect("/login?callbackUrl=/");

  return (
    <>
      <AppHeader user={session.user} />
      <main className="mx-auto max-w-3xl px-4 pb-24">
        <SyncPanel />
        {/* The library reads its search and filters from the URL (useSearchParams). */}
        <Suspense fallback={<ListSkeleton />}>
          <LibraryView userId={session.user.id} />
        </Suspense>
      </main>
    </>
  );
}
