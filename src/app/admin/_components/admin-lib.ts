/** Types, names and small helpers shared by the admin console's client components. */
import type { TRPCClientErrorLike } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";
import type { JobState, QueueKey } from "~/shared/queues";
import type { RouterInputs, RouterOutputs } from "~/shared/router-types";

// The queues and job states come from the one contract; a queue missing from QUEUES below is a
// type error (Record over QueueKey).
export { isJobState, isQueueKey, JOB_STATES, QUEUE_KEYS, queueKeyOf, type JobState, type QueueKey } from "~/shared/queues";

type Out = RouterOutputs["admin"];
type In = RouterInputs["admin"];

export type AuditAction = NonNullable<Exclude<In["auditLog"], void | undefined>["action"]>;
export type Overview = Out["overview"];
export type QueueOverview = Overview["queues"][number];
export type JobsPage = Out["jobs"];
export type JobSummary = JobsPage["items"][number];
export type JobDetail = Out["job"];
export type WorkersOverview = Out["workers"];
export type UsersPage = Out["users"];
export type UserRow = UsersPage["items"][number];
export type UserStatus = UserRow["status"];
export type AuditPage = Out["auditLog"];
export type AuditEntry = AuditPage["items"][number];
export type QueueEventBatch = Out["onQueueEvents"] extends AsyncIterable<infer T> ? T : never;
export type AdminError = TRPCClientErrorLike<AppRouter>;

export const QUEUES: Record<QueueKey, { title: string; about: string }> = {
  sync: { title: "Sync", about: "Users’ bookmark syncs" },
  import: { title: "Import", about: "Archive and exporter file imports" },
  maintenance: { title: "Maintenance", about: "The scheduled freshness scan" },
  media: { title: "Media archive", about: "Downloads of posts’ photos, videos and avatars" },
};

type Tone = "zinc" | "sky" | "emerald" | "amber" | "red" | "violet";

export const TONES: Record<Tone, { badge: string; dot: string }> = {
  zinc: { badge: "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300", dot: "bg-zinc-400" },
  sky: { badge: "bg-sky-100 text-sky-800 dark:bg-sky-950 dark:text-sky-200", dot: "bg-sky-500" },
  emerald: { badge: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-200", dot: "bg-emerald-500" },
  amber: { badge: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200", dot: "bg-amber-500" },
  red: { badge: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200", dot: "bg-red-500" },
  violet: { badge: "bg-violet-100 text-violet-800 dark:bg-violet-950 dark:text-violet-200", dot: "bg-violet-500" },
};

export const STATE_META: Record<JobSummary["state"], { label: string; tone: Tone; about: string }> = {
  waiting: { label: "Waiting", tone: "zinc", about: "Ready to run, next free worker takes it" },
  prioritized: { label: "Prioritized", tone: "sky", about: "Ready to run, ahead of plain waiting jobs by priority" },
  active: { label: "Active", tone: "sky", about: "A worker is running it now" },
  delayed: { label: "Delayed", tone: "violet", about: "Waits until a set time (X’s rate limit, a retry’s backoff)" },
  paused: { label: "Paused", tone: "amber", about: "Would run now, but the queue is paused" },
  completed: { label: "Completed", tone: "emerald", about: "Finished successfully" },
  failed: { label: "Failed", tone: "red", about: "Gave up: no attempts left, or retrying would not help" },
  "waiting-children": { label: "Waiting for children", tone: "zinc", about: "Waits for its child jobs" },
  unknown: { label: "Unknown", tone: "zinc", about: "No longer in the queue" },
};

export const PHASE_LABELS: Record<NonNullable<JobSummary["progress"]>["phase"], string> = {
  queued: "queued",
  fetching: "fetching",
  saving: "saving",
  waiting_rate_limit: "waiting for X’s rate limit",
  retrying: "retrying",
  done: "done",
  failed: "failed",
};

export const USER_STATUS_META: Record<UserStatus, { label: string; tone: Tone }> = {
  ok: { label: "OK", tone: "emerald" },
  syncing: { label: "Syncing", tone: "sky" },
  waiting_for_x: { label: "Waiting for X", tone: "amber" },
  needs_relogin: { label: "Needs re-login", tone: "amber" },
  failed: { label: "Failed", tone: "red" },
};

export const AUDIT_LABELS: Record<AuditAction, string> = {
  "job.retry": "Retried a job",
  "job.retryAllFailed": "Retried all failed jobs",
  "job.remove": "Removed a job",
  "job.promote": "Promoted a delayed job",
  "queue.pause": "Paused the queue",
  "queue.resume": "Resumed the queue",
  "queue.clean": "Cleaned old jobs",
  "user.startSync": "Started a sync for a user",
};
export const AUDIT_ACTIONS = Object.keys(AUDIT_LABELS) as AuditAction[];

export function isAuditAction(v: string | null | undefined): v is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(v ?? "");
}

const CODE_TITLES: Partial<Record<string, string>> = {
  BAD_REQUEST: "Not possible",
  CONFLICT: "Conflict",
  NOT_FOUND: "Not found",
  TOO_MANY_REQUESTS: "Busy",
  PRECONDITION_FAILED: "Cannot start",
  SERVICE_UNAVAILABLE: "Unavailable",
};

/** A server refusal in words: the server's own message (written for people), with what kind it is. */
export function errorText(error: AdminError | null | undefined): string | null {
  if (!error) return null;
  const code = error.data?.code;
  if (code === "FORBIDDEN") return "You are not an admin (any more). Reload the page.";
  if (code === "UNAUTHORIZED") return "Your session has ended. Log in again.";
  const title = code ? CODE_TITLES[code] : undefined;
  return title ? `${title}: ${error.message}` : error.message || "Something went wrong. Please try again.";
}

/** The job detail page's address. */
export function jobHref(queue: QueueKey, jobId: string): string {
  return `/admin/jobs/${queue}/${encodeURIComponent(jobId)}`;
}

/** The jobs list's address for a queue, a state, a user search and a page. */
export function jobsHref(p: { queue?: QueueKey; state?: JobState | "all"; user?: string; offset?: number }): string {
  const q = new URLSearchParams();
  if (p.queue && p.queue !== "sync") q.set("queue", p.queue);
  if (p.state) q.set("state", p.state);
  if (p.user) q.set("user", p.user);
  if (p.offset) q.set("offset", String(p.offset));
  const s = q.toString();
  return s ? `/admin/jobs?${s}` : "/admin/jobs";
}

/** "@handle", or the user's id when the handle is unknown. */
export function userLabel(u: { id: string; handle: string | null } | null): string {
  if (!u) return "—";
  return u.handle ? `@${u.handle}` : u.id;
}

/** Bytes as "12.3 MB". */
export function formatBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** A short age: "45 s", "12 min", "3 h 5 min", "2 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}
