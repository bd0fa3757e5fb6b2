"use client";

import { useFormatter, useNow, useTranslations } from "next-intl";
import { useMemo } from "react";

type When = Date | string | number;
const DATE = { year: "numeric", month: "short", day: "numeric" } as const;
const asDate = (d: When) => (d instanceof Date ? d : new Date(d));

/**
 * Dates, times, counts and money in the reader's language and time zone (next-intl's formatter:
 * the locale, time zone and "now" the server rendered with, so server and browser print the same
 * text). `now` ticks each minute after hydration so relative times ("3 min ago") stay true.
 */
export function useFormat() {
  const f = useFormatter();
  const t = useTranslations("format");
  const now = useNow({ updateInterval: 60_000 });
  return useMemo(
    () => ({
      /** "Nov 22, 2026" / "2026年11月22日". */
      date: (d: When) => f.dateTime(asDate(d), DATE),
      dateTime: (d: When) => f.dateTime(asDate(d), { dateStyle: "medium", timeStyle: "short" }),
      clock: (d: When) => f.dateTime(asDate(d), { timeStyle: "short" }),
      /** "just now", "3 minutes ago", "yesterday"; past a month, the date. */
      relative: (d: When) => {
        const date = asDate(d);
        const abs = Math.abs(date.getTime() - now.getTime()) / 1000;
        if (abs < 45) return t("justNow");
        if (abs > 86400 * 30) return f.dateTime(date, DATE);
        return f.relativeTime(date, { now, unit: abs < 3600 ? "minute" : abs < 86400 ? "hour" : "day" });
      },
      count: (n: number) => f.number(n, { notation: n >= 10_000 ? "compact" : "standard" }),
      number: (n: number) => f.number(n),
      /** An estimated cost, kept in US dollars: "≈ $0.40", "< $0.01", "$0.00". */
      usd: (amount: number) => {
        const usd = (v: number) => f.number(v, { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
        if (amount <= 0) return usd(0);
        if (amount < 0.01) return t("under", { amount: usd(0.01) });
        return t("about", { amount: usd(amount) });
      },
    }),
    [f, t, now],
  );
}
