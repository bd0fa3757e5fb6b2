"use client";

import Link from "next/link";
import { signOut } from "next-auth/react";
import { useTranslations } from "next-intl";
import type { AppSession } from "~/server/session";
import { useQueuedEdits } from "~/trpc/offline-queue";
import { RECONNECT_OFFER_AFTER, useConnectionCare, useConnectionStatus, type ConnectionStatus } from "~/trpc/react";
import { forgetCardHeights } from "./card-heights";
import { LocaleSwitcher } from "./locale-switcher";
import { forgetScrollPositions } from "./use-scroll-restoration";

const DOTS: Record<ConnectionStatus, string> = {
  connecting: "bg-zinc-400",
  connected: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-red-500",
};

/** The live connection's state, the edits waiting on this device, and (after failures) a way to retry now. */
export function ConnectionBadge() {
  const t = useTranslations("connection");
  const status = useConnectionStatus();
  const { failures, reconnect, transport } = useConnectionCare();
  const pending = useQueuedEdits().length;
  const stateText = t(status);
  const dot = DOTS[status];
  // Over HTTP (this network refused the WebSocket): still live, and worth knowing about.
  const text = transport === "sse" && status === "connected" ? t("overHttp", { state: stateText }) : stateText;
  const pendingText = pending > 0 ? t("pending", { count: pending }) : null;
  const label = t("label", { state: text.replace("…", ""), sse: String(transport === "sse"), pending });
  return (
    <span className="inline-flex items-center gap-2">
      <span
        role="status"
        aria-live="polite"
        aria-label={label}
        data-connection={status}
        data-transport={transport}
        data-pending={pending}
        title={label}
        className="inline-flex items-center gap-1.5 rounded-full border border-zinc-200 px-2.5 py-1 text-xs text-zinc-600 dark:border-zinc-700 dark:text-zinc-300"
      >
        <span aria-hidden className={`size-2 rounded-full ${dot}`} />
        {text}
        {pendingText && (
          <>
            <span aria-hidden className="opacity-50">
              ·
            </span>
            <span data-testid="pending-count" className="tabular-nums">
              {pendingText}
            </span>
          </>
        )}
      </span>
      {status === "reconnecting" && failures >= RECONNECT_OFFER_AFTER && (
        <button
          type="button"
          onClick={reconnect}
          data-testid="reconnect"
          className="rounded-full border border-amber-400 px-2.5 py-1 text-xs text-amber-800 hover:bg-amber-50 dark:text-amber-300 dark:hover:bg-amber-950"
        >
          {t("reconnect")}
        </button>
      )}
    </span>
  );
}

const NAV_LINK = "rounded-full px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800";
const NAV_LINK_CURRENT = "rounded-full bg-zinc-100 px-3 py-1.5 text-sm font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100";

/**
 * The top bar: links to the library and the Import page, and for admins the console (`area` says
 * which one this page belongs to); the console is wider than the library.
 */
export function AppHeader({ user, area = "library" }: { user: AppSession["user"]; area?: "library" | "import" | "admin" }) {
  const t = useTranslations("header");
  const admin = user.role === "ADMIN";
  return (
    <header className="sticky top-0 z-10 border-b border-zinc-200 bg-white/85 backdrop-blur dark:border-zinc-800 dark:bg-zinc-950/85">
      <div className={`mx-auto flex items-center gap-3 px-4 py-3 ${area === "admin" ? "max-w-6xl" : "max-w-3xl"}`}>
        <span
          aria-hidden
          className="grid size-8 place-items-center rounded-lg bg-zinc-900 font-bold text-white dark:bg-white dark:text-zinc-900"
        >
          𝕏
        </span>
        <h1 className="font-semibold">{t("title")}</h1>
        <nav aria-label={t("sections")} className="flex items-center gap-1">
          <Link
            href="/"
            aria-current={area === "library" ? "page" : undefined}
            className={area === "library" ? NAV_LINK_CURRENT : NAV_LINK}
          >
            {t("library")}
          </Link>
          <Link
            href="/import"
            aria-current={area === "import" ? "page" : undefined}
            className={area === "import" ? NAV_LINK_CURRENT : NAV_LINK}
          >
            {t("import")}
          </Link>
          {admin && (
            <Link
              href="/admin"
              aria-current={area === "admin" ? "true" : undefined}
              data-testid="admin-link"
              className={area === "admin" ? NAV_LINK_CURRENT : NAV_LINK}
            >
              {t("admin")}
            </Link>
          )}
        </nav>
        <div className="ml-auto flex items-center gap-3">
          {/* The console shows its own, more specific indicator (the queues' live events). */}
          {area !== "admin" && <ConnectionBadge />}
          <LocaleSwitcher />
          {user.image && <img src={user.image} alt="" className="size-8 rounded-full bg-zinc-200" />}
          <span className="hidden text-sm text-zinc-600 sm:inline dark:text-zinc-300">{user.handle ? `@${user.handle}` : user.name}</span>
          <button
            type="button"
            onClick={() => {
              forgetScrollPositions();
              forgetCardHeights();
              void signOut({ callbackUrl: "/login" });
            }}
            className="rounded-full px-3 py-1.5 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
          >
            {t("logOut")}
          </button>
        </div>
      </div>
    </header>
  );
}
