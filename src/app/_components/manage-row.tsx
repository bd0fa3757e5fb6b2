"use client";

import { useTranslations } from "next-intl";
import type { ReactNode } from "react";

/** The pieces a row of the tag and category managers is made of. */
export const SMALL_BUTTON = "rounded-full px-2.5 py-1 text-xs hover:bg-zinc-100 disabled:opacity-50 dark:hover:bg-zinc-800";

/** Rename and Delete, or Save and Cancel while the row's name is being edited. */
export function RowActions(p: {
  editing: boolean;
  label: string;
  saving: boolean;
  onRename: () => void;
  onDelete: () => void;
  onSave: () => void;
  onCancel: () => void;
}) {
  const t = useTranslations("common");
  return p.editing ? (
    <>
      <button
        type="button"
        className={`${SMALL_BUTTON} font-semibold text-sky-700 dark:text-sky-400`}
        onClick={p.onSave}
        disabled={p.saving}
      >
        {t("save")}
      </button>
      <button type="button" className={SMALL_BUTTON} onClick={p.onCancel}>
        {t("cancel")}
      </button>
    </>
  ) : (
    <>
      <button type="button" className={SMALL_BUTTON} onClick={p.onRename}>
        {t("rename")}
      </button>
      <button
        type="button"
        className={`${SMALL_BUTTON} text-red-700 dark:text-red-300`}
        onClick={p.onDelete}
        aria-label={t("deleteLabel", { name: p.label })}
      >
        {t("delete")}
      </button>
    </>
  );
}

/** The inline "are you sure?" under a row, Cancel first (and focused). */
export function ConfirmDelete(p: {
  label: string;
  children: ReactNode;
  confirmText: string;
  testId?: string;
  pending: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const t = useTranslations("common");
  return (
    <div
      role="alertdialog"
      aria-label={t("deleteQuestion", { name: p.label })}
      className="mt-1.5 flex flex-wrap items-center gap-2 rounded-lg bg-red-50 px-3 py-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100"
    >
      <span className="flex-1">{p.children}</span>
      <button type="button" className={SMALL_BUTTON} onClick={p.onCancel} autoFocus>
        {t("cancel")}
      </button>
      <button
        type="button"
        data-testid={p.testId}
        disabled={p.pending}
        className="rounded-full bg-red-600 px-3 py-1 text-xs font-semibold text-white hover:bg-red-500 disabled:opacity-50"
        onClick={p.onConfirm}
      >
        {p.confirmText}
      </button>
    </div>
  );
}
