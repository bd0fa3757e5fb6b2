"use client";

import { useRouter } from "next/navigation";
import { useTimeZone } from "next-intl";
import { useEffect } from "react";
import { TIME_ZONE_COOKIE } from "~/i18n/config";

/**
 * The server cannot know the reader's time zone, so the page renders in the zone both sides were
 * given (the cookie's, else UTC) and hydrates without a mismatch. If the browser's own zone is a
 * different one, it is stored in the cookie and the page re-rendered once in it.
 */
export function TimeZoneSync() {
  const rendered = useTimeZone();
  const router = useRouter();
  useEffect(() => {
    const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (!browser || browser === rendered) return;
    // Already stored (the server spells the zone differently, e.g. Etc/UTC as UTC): no loop.
    const stored = document.cookie.split("; ").find((c) => c.startsWith(`${TIME_ZONE_COOKIE}=`));
    if (stored && decodeURIComponent(stored.slice(TIME_ZONE_COOKIE.length + 1)) === browser) return;
    document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(browser)}; path=/; max-age=${365 * 24 * 3600}; samesite=lax`;
    router.refresh();
  }, [rendered, router]);
  return null;
}
