"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { ToastProvider } from "~/app/_components/toast";
import { AdminLiveProvider, LiveIndicator } from "./admin-live";

// label: a key of the "admin" messages.
const PAGES = [
  { href: "/admin", label: "overview", match: (p: string) => p === "/admin" },
  { href: "/admin/jobs", label: "jobs", match: (p: string) => p.startsWith("/admin/jobs") },
  { href: "/admin/workers", label: "workers", match: (p: string) => p.startsWith("/admin/workers") },
  { href: "/admin/users", label: "users", match: (p: string) => p.startsWith("/admin/users") },
  { href: "/admin/limits", label: "limits", match: (p: string) => p.startsWith("/admin/limits") },
  { href: "/admin/health", label: "health", match: (p: string) => p.startsWith("/admin/health") },
  { href: "/admin/audit", label: "audit", match: (p: string) => p.startsWith("/admin/audit") },
] as const;

/** The admin pages' frame: their nav, the live indicator, and the live updates behind it. */
export function AdminShell({ children }: { children: ReactNode }) {
  const t = useTranslations("admin");
  const pathname = usePathname();
  return (
    <AdminLiveProvider>
      <ToastProvider>
        <div className="mx-auto max-w-6xl px-4 pb-24">
          <div className="flex flex-wrap items-center gap-3 border-b border-zinc-200 py-3 dark:border-zinc-800">
            <nav aria-label={t("nav")} className="-mx-1 flex min-w-0 flex-1 gap-1 overflow-x-auto" data-testid="admin-nav">
              {PAGES.map((p) => {
                const current = p.match(pathname);
                return (
                  <Link
                    key={p.href}
                    href={p.href}
                    aria-current={current ? "page" : undefined}
                    className={`rounded-full px-3 py-1.5 text-sm whitespace-nowrap ${
                      current
                        ? "bg-sky-50 font-semibold text-sky-800 dark:bg-sky-950 dark:text-sky-200"
                        : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                    }`}
                  >
                    {t(p.label)}
                  </Link>
                );
              })}
            </nav>
            <LiveIndicator />
          </div>
          <div className="pt-6">{children}</div>
        </div>
      </ToastProvider>
    </AdminLiveProvider>
  );
}
