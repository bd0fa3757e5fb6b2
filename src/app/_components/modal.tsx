"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, type ReactNode } from "react";

/**
 * A modal dialog on the platform's <dialog>: focus is kept inside, Esc closes it, and focus
 * returns to where it was. Mount it only while open.
 */
export function Modal({
  title,
  onClose,
  children,
  testId,
  size = "md",
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  testId?: string;
  size?: "sm" | "md";
}) {
  const t = useTranslations("common");
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement as HTMLElement | null;
    if (!dialog.open) dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener?.focus?.();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      data-testid={testId}
      // Esc: the dialog asks to cancel; close it through React so the state agrees.
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
      // A click on the backdrop lands on the dialog element itself.
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      className={`m-auto w-[calc(100%-2rem)] ${size === "sm" ? "max-w-sm" : "max-w-lg"} rounded-2xl border border-zinc-200 bg-white p-0 text-zinc-900 shadow-xl backdrop:bg-zinc-950/50 backdrop:backdrop-blur-[1px] dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100`}
    >
      <div className="flex max-h-[min(80vh,40rem)] flex-col">
        <div className="flex items-center gap-3 border-b border-zinc-200 px-5 py-3 dark:border-zinc-800">
          <h2 id={titleId} className="flex-1 font-semibold">
            {title}
          </h2>
          <button
            type="button"
            aria-label={t("close")}
            onClick={onClose}
            className="grid size-8 place-items-center rounded-full text-zinc-500 hover:bg-zinc-100 dark:hover:bg-zinc-800"
          >
            ✕
          </button>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto px-5 py-4">{children}</div>
      </div>
    </dialog>
  );
}

/** A yes/no question before something that cannot be taken back from here. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  pending,
  error,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  pending?: boolean;
  error?: string | null;
  testId?: string;
}) {
  const t = useTranslations("common");
  return (
    <Modal title={title} onClose={onClose} size="sm" testId={testId}>
      <div className="text-sm text-zinc-700 dark:text-zinc-300">{children}</div>
      {error && (
        <p role="alert" className="mt-3 text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
      <div className="mt-5 flex justify-end gap-2">
        <button type="button" onClick={onClose} className="rounded-full px-4 py-1.5 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800">
          {t("cancel")}
        </button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={pending}
          data-testid="confirm-button"
          className="rounded-full bg-red-600 px-4 py-1.5 text-sm font-semibold text-white hover:bg-red-500 disabled:opacity-50"
        >
          {pending ? t("working") : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
