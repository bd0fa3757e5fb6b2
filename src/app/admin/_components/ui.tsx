"use client";

import { useEffect, useId, useState, type ReactNode } from "react";
import { formatDateTime, formatRelative } from "~/app/_components/format";
import { Modal } from "~/app/_components/modal";
import { STATE_META, TONES, USER_STATUS_META, type JobSummary, type UserStatus } from "./admin-lib";

/** Button styles of the console (the library's: rounded-full, sky for the main action). */
export const BTN = {
  primary:
    "rounded-full bg-sky-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-sky-500 disabled:cursor-not-allowed disabled:opacity-50",
  secondary:
    "rounded-full border border-zinc-300 px-4 py-1.5 text-sm hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800",
  danger:
    "rounded-full bg-red-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-red-500 disabled:cursor-not-allowed disabled:opacity-50",
  ghost: "rounded-full px-3 py-1 text-sm text-zinc-600 hover:bg-zinc-100 disabled:opacity-50 dark:text-zinc-300 dark:hover:bg-zinc-800",
  small:
    "rounded-full border border-zinc-300 px-3 py-0.5 text-xs hover:bg-zinc-100 disabled:cursor-not-allowed disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800",
};

export const FIELD_CLASS =
  "rounded-full border border-zinc-300 bg-white px-3 py-1.5 text-sm text-zinc-900 placeholder:text-zinc-400 hover:border-zinc-400 focus:border-sky-500 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500/30 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:border-zinc-600";

/** Re-renders every `ms`, so ages and "x ago" stay true between fetches. */
export function useNow(ms = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

export function PageTitle({ title, children, actions }: { title: string; children?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-5 flex flex-wrap items-end gap-3">
      <div className="min-w-0 flex-1">
        <h2 className="text-xl font-semibold">{title}</h2>
        {children && <p className="mt-0.5 text-sm text-zinc-500">{children}</p>}
      </div>
      {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
    </div>
  );
}

export function Card({
  title,
  actions,
  children,
  testId,
  className = "",
  headingLevel = 3,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
  headingLevel?: 3 | 4;
}) {
  const id = useId();
  const Heading = headingLevel === 3 ? "h3" : "h4";
  return (
    <section
      aria-labelledby={title ? id : undefined}
      data-testid={testId}
      className={`rounded-2xl border border-zinc-200 bg-white p-5 shadow-sm dark:border-zinc-800 dark:bg-zinc-900 ${className}`}
    >
      {(title || actions) && (
        <div className="mb-3 flex flex-wrap items-center gap-2">
          {title && (
            <Heading id={id} className="min-w-0 flex-1 font-semibold">
              {title}
            </Heading>
          )}
          {actions && <div className="flex flex-wrap items-center gap-2">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}

export function Badge({
  tone,
  children,
  testId,
  title,
}: {
  tone: keyof typeof TONES;
  children: ReactNode;
  testId?: string;
  title?: string;
}) {
  return (
    <span
      data-testid={testId}
      title={title}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${TONES[tone].badge}`}
    >
      {children}
    </span>
  );
}

export function StateBadge({ state }: { state: JobSummary["state"] }) {
  const meta = STATE_META[state];
  return (
    <Badge tone={meta.tone} testId="job-state" title={meta.about}>
      <span aria-hidden className={`size-1.5 rounded-full ${TONES[meta.tone].dot} ${state === "active" ? "animate-pulse" : ""}`} />
      <span data-state={state}>{meta.label}</span>
    </Badge>
  );
}

export function UserStatusBadge({ status }: { status: UserStatus }) {
  const meta = USER_STATUS_META[status];
  return (
    <Badge tone={meta.tone} testId="user-status">
      <span aria-hidden className={`size-1.5 rounded-full ${TONES[meta.tone].dot}`} />
      {meta.label}
    </Badge>
  );
}

export function ProgressBar({ percent, label, determinate = true }: { percent: number; label: string; determinate?: boolean }) {
  const pct = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={determinate ? pct : undefined}
      aria-valuetext={determinate ? `${pct}%` : "in progress"}
      className="h-1.5 w-full min-w-16 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
    >
      <div
        className={`h-full rounded-full bg-sky-500 transition-[width] duration-300 ${determinate ? "" : "w-1/3 animate-pulse"}`}
        style={determinate ? { width: `${Math.max(2, pct)}%` } : undefined}
      />
    </div>
  );
}

/** A time as "3 minutes ago", the full date and time on hover. */
export function When({ date, now, empty = "—" }: { date: Date | string | null | undefined; now: number; empty?: string }) {
  if (!date) return <span className="text-zinc-400">{empty}</span>;
  const d = typeof date === "string" ? new Date(date) : date;
  return (
    <time dateTime={d.toISOString()} title={formatDateTime(d)} className="whitespace-nowrap">
      {formatRelative(d, now)}
    </time>
  );
}

export function ErrorNotice({ what, message, onRetry }: { what: string; message: string | null; onRetry?: () => void }) {
  return (
    <div role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
      Could not load {what}: {message ?? "unknown error"}
      {onRetry && (
        <>
          {" "}
          <button type="button" onClick={onRetry} className="font-medium underline underline-offset-2">
            Try again
          </button>
        </>
      )}
    </div>
  );
}

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div
      data-testid={testId}
      className="rounded-xl border border-dashed border-zinc-300 px-6 py-10 text-center text-sm text-zinc-500 dark:border-zinc-700"
    >
      {children}
    </div>
  );
}

export function SkeletonRows({ rows = 4, label }: { rows?: number; label: string }) {
  return (
    <div role="status" aria-busy="true" aria-label={label} className="space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-9 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800" />
      ))}
    </div>
  );
}

/** "26–50 of 132" with Previous / Next. */
export function Pager({
  offset,
  limit,
  total,
  onOffset,
  busy,
}: {
  offset: number;
  limit: number;
  total: number;
  onOffset: (offset: number) => void;
  busy?: boolean;
}) {
  if (total === 0) return null;
  const from = Math.min(total, offset + 1);
  const to = Math.min(total, offset + limit);
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center gap-2 text-sm" data-testid="pager">
      <span className="flex-1 text-zinc-500 tabular-nums" aria-live="polite">
        {from.toLocaleString()}–{to.toLocaleString()} of {total.toLocaleString()}
        {busy && <span className="ml-2 text-xs">updating…</span>}
      </span>
      <button type="button" className={BTN.small} disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - limit))}>
        ← Previous
      </button>
      <button type="button" className={BTN.small} disabled={offset + limit >= total} onClick={() => onOffset(offset + limit)}>
        Next →
      </button>
    </nav>
  );
}

/**
 * A confirmation before an admin action: what will happen, the server's refusal if there is one
 * (the dialog stays open so it can be read), and the button that does it.
 */
export function ConfirmAction({
  title,
  children,
  confirmLabel,
  tone = "primary",
  onConfirm,
  onClose,
  pending,
  error,
  extra,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  tone?: "primary" | "danger";
  onConfirm: () => void;
  onClose: () => void;
  pending: boolean;
  error: string | null;
  extra?: ReactNode;
}) {
  return (
    <Modal title={title} onClose={onClose} size="sm" testId="confirm-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!pending) onConfirm();
        }}
      >
        <div className="space-y-2 text-sm text-zinc-700 dark:text-zinc-300">{children}</div>
        {extra}
        {error && (
          <p
            role="alert"
            data-testid="action-error"
            className="mt-3 rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {error}
          </p>
        )}
        <div className="mt-5 flex justify-end gap-2">
          <button type="button" onClick={onClose} className={BTN.ghost}>
            Cancel
          </button>
          <button type="submit" disabled={pending} data-testid="confirm-button" className={tone === "danger" ? BTN.danger : BTN.primary}>
            {pending ? "Working…" : confirmLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** A label and a value in a definition list. */
export function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words" data-testid={testId}>
        {children}
      </dd>
    </div>
  );
}
