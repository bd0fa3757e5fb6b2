import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { getAppSession } from "~/server/auth";
import { LOCALE_COOKIE, resolveLocale, TIME_ZONE_COOKIE, validTimeZone, type Locale } from "./config";

/** The catalogues, loaded once per process and language. */
export async function loadMessages(locale: Locale) {
  return (await import(`../../messages/${locale}.json`)).default;
}

/**
 * next-intl's per-request configuration (no i18n routing: the locale is not in the URL). The
 * time zone and "now" go to the client provider too, so the browser's first render formats dates
 * and relative times exactly as the server did (no hydration mismatch).
 */
export default getRequestConfig(async () => {
  const [session, jar, h] = await Promise.all([getAppSession(), cookies(), headers()]);
  const locale = resolveLocale({
    stored: session?.user.locale,
    cookie: jar.get(LOCALE_COOKIE)?.value,
    acceptLanguage: h.get("accept-language"),
  });
  return {
    locale,
    messages: await loadMessages(locale),
    timeZone: validTimeZone(jar.get(TIME_ZONE_COOKIE)?.value),
    now: new Date(),
  };
});
