import { redirect } from "next/navigation";
import { getAppSession } from "~/server/auth";
import { AppHeader } from "./_components/app-header";
import { BookmarkList } from "./_components/bookmark-list";
import { SyncPanel } from "./_components/sync-panel";

export const dynamic = "force-dynamic";

export default async function LibraryPage() {
  const session = await getAppSession();
  if (!session) redirect("/login?callbackUrl=/");

  return (
    <>
      <AppHeader user={session.user} />
      <main className="mx-auto max-w-2xl px-4 pb-24">
        <SyncPanel />
        <BookmarkList />
      </main>
    </>
  );
}
