import type { Role } from "~/generated/prisma/client";
import { isLocale, type Locale } from "~/i18n/config";
import { externalUrl } from "~/lib/safe-url";
import type { Db } from "./db";
import { extraMediaOrigins } from "./x/config";

/** The signed-in person as every server part sees them (pages, tRPC over HTTP and WebSocket). */
export interface AppSession {
  /** locale: the interface language the user chose (null: not chosen; the cookie or the browser decides). */
  user: { id: string; name: string | null; image: string | null; handle: string | null; role: Role; locale: Locale | null };
  expires: string;
}

export function toAppSession(
  user: { id: string; name?: string | null; image?: string | null; handle?: string | null; role?: Role; locale?: string | null },
  expires: Date | string,
): AppSession {
  return {
    user: {
      id: user.id,
      name: user.name ?? null,
      image: externalUrl(user.image, extraMediaOrigins),
      handle: user.handle ?? null,
      role: user.role ?? "USER",
      locale: isLocale(user.locale) ? user.locale : null,
    },
    expires: typeof expires === "string" ? expires : expires.toISOString(),
  };
}

// next-auth v4's database-session cookie (the __Secure- name is used on https).
export const SESSION_COOKIE_NAMES = ["__Secure-next-auth.session-token", "next-auth.session-token"];

/** A malformed percent-encoding (`%E0%A4%A`) is anybody's cookie but ours: no session, not an error. */
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return "";
  }
}

export function sessionTokenFromCookieHeader(header: string | undefined | null): string | null {
  if (!header) return null;
  const cookies = new Map<string, string>();
  for (const part of header.split(";")) {
    const i = part.indexOf("=");
    if (i > 0) cookies.set(part.slice(0, i).trim(), decodeCookieValue(part.slice(i + 1).trim()));
  }
  for (const name of SESSION_COOKIE_NAMES) {
    const v = cookies.get(name);
    if (v) return v;
  }
  return null;
}

/**
 * Reads a next-auth database session from a Cookie header: used where next-auth's own helpers
 * cannot run, such as the WebSocket upgrade request.
 */
export async function sessionFromCookieHeader(db: Db, header: string | undefined | null): Promise<AppSession | null> {
  const token = sessionTokenFromCookieHeader(header);
  if (!token) return null;
  const row = await db.session.findUnique({ where: { sessionToken: token }, include: { user: true } });
  if (!row || row.expires.getTime() <= Date.now()) return null;
  return toAppSession(row.user, row.expires);
}
