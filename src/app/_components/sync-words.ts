import type { SyncProgressEvent } from "~/server/sync/events";
import { formatClock, formatSpan } from "./format";

/** The sync panel's words for a run's phase and for a refused start. */

export function phaseLabel(e: SyncProgressEvent): string {
  switch (e.phase) {
    case "queued":
      return "Waiting for a worker…";
    case "fetching":
      return e.mode === "full" ? "Fetching all bookmarks from X" : "Fetching new bookmarks from X";
    case "saving":
      return "Saving";
    case "waiting_rate_limit":
      return e.resumeAt ? `Waiting for X until ${formatClock(e.resumeAt)}` : "Waiting for X's rate limit";
    case "retrying":
      return e.resumeAt ? `X had a hiccup; retrying at ${formatClock(e.resumeAt)}` : "X had a hiccup; retrying";
    case "done":
      return "Sync complete";
    case "failed":
      return "Sync failed";
  }
}

/** Words under the phase when the event brings none (e.g. a tab that joined during a wait). */
export function phaseHint(e: SyncProgressEvent): string | null {
  if (e.phase === "waiting_rate_limit") return "X limits how often bookmarks can be read; the sync continues by itself.";
  if (e.phase === "retrying" && e.resumeAt) return "X is not answering properly; the sync continues by itself.";
  return null;
}

/** What went wrong starting a sync, in words for the person. */
export function startErrorText(error: { message: string; data?: { code?: string; retryAfterSeconds?: number | null } | null }): {
  title: string | null;
  text: string;
} {
  if (error.data?.code === "TOO_MANY_REQUESTS") {
    const seconds = error.data.retryAfterSeconds;
    const when = seconds ? `in about ${formatSpan(seconds * 1000)}` : "in a minute or two";
    return {
      title: "Lots of syncing going on.",
      text: `X Bookmarker is busy with other people’s libraries right now, so your sync did not start. Please try again ${when}; your bookmarks are safe.`,
    };
  }
  return { title: null, text: error.message };
}
