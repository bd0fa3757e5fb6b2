"use client";

import { signOut } from "next-auth/react";
import type { AppSession } from "~/server/session";
import { useConnectionStatus, type ConnectionStatus } from "~/trpc/react";

const LABELS: Record<ConnectionStatus, { text: string; dot: string }> = {
  connecting: { text: "Connecting…", dot: "bg-zinc-400" },
  connected: { text: "Live", dot: "bg-emerald-500" },
  reconnecting: { text: "Reconnecting…", dot: "bg-amber-500 animate-pulse" },
  offline: { text: "Offline", dot: "bg-red-500" },
};

export function ConnectionBadge() {
  const status = useConnectionStatus();
  const { text, dot } = LABELS[status];
  return (
    <span
      role="status"
      aria-live="polite"
      data-connection={status}
      title="Live updates connection"
      className="inline-flex items-center gap-1.5 rounded-full border border-zinc-200 px-2.5 py-1 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
    >
      <span aria-hidden className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}

export function AppHeader({ user }: { user: AppSession["user"] }) {
  return (
    <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/85">
      <div className="mx-auto flex max-w-3xl items-center gap-3 px-4 py-3">
        <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-zinc-900 font-bold text-white dark:bg-white dark:text-zinc-900">
          𝕏
        </span>
        <h1 className="font-semibold">Bookmarker</h1>
        <div className="ml-auto flex items-center gap-3">
          <ConnectionBadge />
          {user.image && <img src={user.image} alt="" className="size-8 rounded-full bg-zinc-200" />}
          <span className="hidden text-sm text-zinc-600 sm:inline dark:text-zinc-300">
            {user.handle ? `@${user.handle}` : user.name}
          </span>
          <button
            type="button"
            onClick={() => void signOut({ callbackUrl: "/login" })}
            className="rounded-full px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            Log out
          </button>
        </div>
      </div>
    </header>
  );
}
