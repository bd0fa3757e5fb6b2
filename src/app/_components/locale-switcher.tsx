"use client";

import { useRouter } from "next/navigation";
import { useLocale, useTranslations } from "next-intl";
import { useTransition } from "react";
import { chooseLocale } from "~/app/_actions/locale";
import { LOCALES, type Locale } from "~/i18n/config";

/** Each language named in itself, so a reader who cannot read the current one still finds theirs. */
const NATIVE_NAMES: Record<Locale, string> = { en: "English", ja: "日本語" };

/** The header's language menu: stores the choice (cookie + account) and re-renders the page in it. */
export function LocaleSwitcher() {
  const t = useTranslations("header");
  const locale = useLocale();
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <select
      aria-label={t("language")}
      data-testid="locale-switcher"
      value={locale}
      disabled={pending}
      onChange={(e) => {
        const next = e.target.value;
        startTransition(async () => {
          await chooseLocale(next);
          router.refresh();
        });
      }}
      className="rounded-full border border-zinc-200 bg-transparent px-2 py-1 text-sm text-zinc-700 dark:border-zinc-700 dark:text-zinc-200"
    >
      {LOCALES.map((l) => (
        <option key={l} value={l} lang={l}>
          {NATIVE_NAMES[l]}
        </option>
      ))}
    </select>
  );
}
