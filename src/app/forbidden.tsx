import Link from "next/link";
import { getTranslations } from "next-intl/server";

/** What forbidden() shows (HTTP 403): a signed-in person on a page that is not theirs to see. */
export default async function Forbidden() {
  const t = await getTranslations("forbidden");
  const code = (chunks: React.ReactNode) => <code className="rounded bg-zinc-100 px-1 text-xs dark:bg-zinc-800">{chunks}</code>;
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      {/* React hoists it into <head>. */}
      <title>{`${t("title")} · X Bookmarker`}</title>
      <div
        className="rounded-2xl border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
        data-testid="forbidden"
      >
        <p className="text-sm font-semibold tracking-wide text-red-700 tabular-nums dark:text-red-300">403</p>
        <h1 className="mt-1 text-xl font-semibold">{t("heading")}</h1>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">{t.rich("body", { code })}</p>
        <Link href="/" className="mt-6 inline-block rounded-full bg-sky-600 px-5 py-2 text-sm font-semibold text-white hover:bg-sky-500">
          {t("back")}
        </Link>
      </div>
    </main>
  );
}
