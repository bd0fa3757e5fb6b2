"use client";

import type { Isolation } from "~/server/fallback/status";
import { useSystemStatus } from "./use-system-status";

/** The banner's words, kept together so they can move to the i18n catalogue as they are. */
export const DEGRADED_TEXT = {
  heading: "Running with reduced service",
  maintenance: "The library's database is not answering. Your bookmarks are safe; this page will work again once it is back.",
  "no-live-updates":
    "Live updates are paused. Your library and your changes are saved as usual; the list refreshes itself every 30 seconds.",
  "syncs-wait": "X cannot be reached right now. Your library works from what is already saved; syncs wait and resume on their own.",
  unreachable: "The server cannot be reached. Check your connection; what you see may be out of date.",
  syncsResumeAt: (time: string) => `Next try at ${time}.`,
} satisfies Record<Isolation | "heading" | "unreachable", string> & Record<string, unknown>;

/** Says in words what is degraded right now, and what still works. Nothing when all is well. */
export function DegradedBanner() {
  const { status, unreachable } = useSystemStatus();
  const lines: string[] = unreachable ? [DEGRADED_TEXT.unreachable] : (status?.isolated ?? []).map((i) => DEGRADED_TEXT[i]);
  if (lines.length === 0) return null;
  const retry = status?.xRetryAt ? new Date(status.xRetryAt) : null;
  return (
    <div
      role="status"
      data-testid="degraded-banner"
      className="mb-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
    >
      <p className="font-medium">{DEGRADED_TEXT.heading}</p>
      {lines.map((line) => (
        <p key={line}>
          {line}
          {line === DEGRADED_TEXT["syncs-wait"] &&
            retry &&
            ` ${DEGRADED_TEXT.syncsResumeAt(retry.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }))}`}
        </p>
      ))}
    </div>
  );
}
