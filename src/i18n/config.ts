/**
 * The interface's languages and how one is chosen for a request (issue 16). URLs carry no
 * locale: the choice comes from the signed-in user's stored setting, else the cookie the
 * switcher sets (before log-in), else the browser's Accept-Language (ja → Japanese, anything
 * else → English). Shared by the server (src/i18n/request.ts) and the switcher.
 */
export const LOCALES = ["en", "ja"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

/** The switcher's choice, for visitors who are not signed in (and as a fast path for those who are). */
export const LOCALE_COOKIE = "xb-locale";
/** The browser's IANA time zone, so the server renders times as the reader's clock shows them. */
export const TIME_ZONE_COOKIE = "xb-tz";
/** Until the browser has told us its zone (first page view): the one both sides then agree on. */
export const DEFAULT_TIME_ZONE = "UTC";

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

/**
 * The first language in Accept-Language (by q-value) that we speak, by its primary subtag. Only
 * Japanese maps to Japanese; a header that prefers no language of ours gets English.
 */
export function localeFromAcceptLanguage(header: string | null | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  const ranked = header
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { lang: tag.trim().toLowerCase().split("-")[0] ?? "", q: q === undefined ? 1 : Number(q), i };
    })
    .filter((r) => r.lang && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const r of ranked) {
    if (r.lang === "ja") return "ja";
    if (r.lang !== "*") return "en";
  }
  return DEFAULT_LOCALE;
}

/** Stored choice → cookie → Accept-Language. */
export function resolveLocale(input: { stored?: string | null; cookie?: string | null; acceptLanguage?: string | null }): Locale {
  if (isLocale(input.stored)) return input.stored;
  if (isLocale(input.cookie)) return input.cookie;
  return localeFromAcceptLanguage(input.acceptLanguage);
}

/** A time zone name the runtime knows (the cookie is the browser's word, so it is checked). */
export function validTimeZone(value: string | null | undefined): string {
  if (!value || value.length > 64) return DEFAULT_TIME_ZONE;
  try {
    return new Intl.DateTimeFormat("en", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return DEFAULT_TIME_ZONE;
  }
}
