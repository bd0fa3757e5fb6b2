"use server";

import { cookies } from "next/headers";
import { z } from "zod";
import { LOCALE_COOKIE, LOCALES } from "~/i18n/config";
import { getAppSession } from "~/server/auth";
import { db } from "~/server/db";

const input = z.enum(LOCALES);

/**
 * The language switcher's choice: kept in a cookie (the log-in page, and this device before the
 * page reloads) and on the user, so it follows them to their other devices. Setting a cookie in
 * a Server Action makes Next re-render the page in the new language.
 */
export async function chooseLocale(value: string): Promise<void> {
  const locale = input.parse(value);
  const jar = await cookies();
  jar.set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600, httpOnly: true });
  const session = await getAppSession();
  if (session) await db.user.update({ where: { id: session.user.id }, data: { locale } });
}
