"use client";

import { useTranslations } from "next-intl";

/** The library list's loading, error and empty states. */

export function ListSkeleton() {
  const t = useTranslations("library");
  return (
    <div role="status" aria-busy="true" aria-label={t("loading")}>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="flex animate-pulse gap-3 border-b border-zinc-200 py-4 dark:border-zinc-800">
          <div className="size-10 rounded-full bg-zinc-200 dark:bg-zinc-800" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-1/3 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-5/6 rounded bg-zinc-200 dark:bg-zinc-800" />
            <div className="h-3 w-2/3 rounded bg-zinc-200 dark:bg-zinc-800" />
          </div>
        </div>
      ))}
    </div>
  );
}

export function ListError({ error, onRetry }: { error: string; onRetry: () => void }) {
  const t = useTranslations("library");
  return (
    <div role="alert" className="rounded-lg bg-red-50 p-4 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      {t("loadFailed", { error })}{" "}
      <button type="button" onClick={onRetry} className="underline">
        {t("tryAgain")}
      </button>
    </div>
  );
}

export function ListEmpty({ filtered, onClearFilters }: { filtered: boolean; onClearFilters: () => void }) {
  const t = useTranslations("library");
  if (filtered) {
    return (
      <div
        className="rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700"
        data-testid="no-results"
      >
        <p className="text-lg font-semibold">{t("noMatchTitle")}</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{t("noMatchHint")}</p>
        <button
          type="button"
          onClick={onClearFilters}
          className="mt-4 rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500"
        >
          {t("clearFilters")}
        </button>
      </div>
    );
  }
  return (
    <div
      className="rounded-2xl border border-dashed border-zinc-300 px-6 py-16 text-center dark:border-zinc-700"
      data-testid="empty-library"
    >
      <p className="text-lg font-semibold">{t("emptyTitle")}</p>
      <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{t("emptyHint")}</p>
    </div>
  );
}
