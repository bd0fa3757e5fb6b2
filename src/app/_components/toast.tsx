"use client";

import { useTranslations } from "next-intl";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";

/** Short messages at the bottom of the screen, each with at most one action ("Undo"). */
export interface ToastInput {
  text: string;
  action?: { label: string; run: () => void };
  tone?: "info" | "error";
  /** How long it stays; errors and toasts with an action stay longer. */
  ms?: number;
}
interface Toast extends ToastInput {
  id: number;
}

const ToastContext = createContext<(t: ToastInput) => void>(() => undefined);
export const useToast = () => useContext(ToastContext);

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback((t: ToastInput) => {
    const id = nextId++;
    // Newest last; at most three on screen.
    setToasts((ts) => [...ts.slice(-2), { ...t, id }]);
  }, []);
  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed bottom-4 left-4 z-40 flex w-[min(24rem,calc(100%-2rem))] flex-col gap-2">
        {toasts.map((t) => (
          <ToastView key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastView({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const t = useTranslations("common");
  const ms = toast.ms ?? (toast.action || toast.tone === "error" ? 10_000 : 4_000);
  const { id } = toast;
  // Paused while the pointer is on it, so "Undo" does not vanish under the cursor.
  const [hovered, setHovered] = useState(false);
  useEffect(() => {
    if (hovered) return;
    const t = setTimeout(() => onDismiss(id), ms);
    return () => clearTimeout(t);
  }, [ms, onDismiss, id, hovered]);

  const error = toast.tone === "error";
  return (
    <div
      role={error ? "alert" : "status"}
      data-testid="toast"
      onMouseEnter={() => setHovered(true)}
      onMouseLeave={() => setHovered(false)}
      className={`pointer-events-auto flex items-center gap-3 rounded-xl px-4 py-3 text-sm shadow-lg ${
        error ? "bg-red-700 text-white" : "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
      }`}
    >
      <span>{toast.text}</span>
      {toast.action && (
        <span aria-hidden className="-mx-1.5 opacity-60">
          ·
        </span>
      )}
      {toast.action && (
        <button
          type="button"
          onClick={() => {
            toast.action?.run();
            onDismiss(id);
          }}
          className="rounded-full px-2 py-0.5 font-semibold text-sky-300 hover:bg-white/10 dark:text-sky-700 dark:hover:bg-zinc-900/10"
        >
          {toast.action.label}
        </button>
      )}
      <button type="button" aria-label={t("dismiss")} onClick={() => onDismiss(id)} className="ml-auto opacity-70 hover:opacity-100">
        ✕
      </button>
    </div>
  );
}
