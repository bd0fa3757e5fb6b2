import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { getAppSession } from "~/server/auth";
import { AppHeader } from "../_components/app-header";
import { DrainPanel } from "../_components/drain-panel";
import { ImportPanel } from "../_components/import-panel";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta"))("import") };
}

export default async function ImportPage() {
  const session = await getAppSession();
  if (!session) redirect("/login?callbackUrl=/import");
  return (
    <>
      <AppHeader user={session.user} area="import" />
      <main className="mx-auto max-w-3xl px-4 pb-24">
        <ImportPanel />
        <DrainPanel />
      </main>
    </>
  );
}
