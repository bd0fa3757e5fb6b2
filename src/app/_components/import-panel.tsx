"use client";

import { useTranslations } from "next-intl";
import { useRef, useState, type DragEvent } from "react";
import { isOpenStatus } from "~/shared/sync";
import { useImport } from "./use-import";

const ACCEPT = ".zip,.js,.json,.csv,application/zip,application/json,text/csv,text/javascript";

/** The Import page: drop or pick a file, read the preview, confirm, watch the progress. */
export function ImportPanel() {
  const t = useTranslations("import");
  const { latest, current, progress, upload, confirm, discard } = useImport();
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const send = (file: File | undefined) => {
    if (file) upload.mutate(file);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    send(e.dataTransfer.files[0]);
  };

  const running = current && isOpenStatus(current.status);
  const preview = current?.status === "PREVIEW" ? current : null;
  const busy = upload.isPending || confirm.isPending;

  return (
    <section aria-labelledby="import-title" className="mt-6 space-y-5">
      <div>
        <h2 id="import-title" className="text-lg font-semibold">
          {t("title")}
        </h2>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {t.rich("intro", { code: (chunks) => <code className="mx-1">{chunks}</code> })}
        </p>
      </div>

      <div
        data-testid="import-drop"
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`rounded-xl border-2 border-dashed p-8 text-center ${dragging ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-zinc-300 dark:border-zinc-700"}`}
      >
        <p className="text-sm text-zinc-600 dark:text-zinc-300">{t("drop")}</p>
        <button
          type="button"
          disabled={busy || !!running}
          onClick={() => input.current?.click()}
          className="mt-2 rounded-full bg-zinc-900 px-4 py-2 text-sm font-medium text-white disabled:opacity-50 dark:bg-white dark:text-zinc-900"
        >
          {t("choose")}
        </button>
        <input
          ref={input}
          type="file"
          accept={ACCEPT}
          aria-label={t("fileLabel")}
          className="sr-only"
          onChange={(e) => {
            send(e.target.files?.[0]);
            e.target.value = "";
          }}
        />
        {upload.isPending && (
          <p role="status" className="mt-3 text-sm">
            {t("reading")}
          </p>
        )}
      </div>

      {upload.error && (
        <p role="alert" className="rounded-lg bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {upload.error.message}
        </p>
      )}
      {latest.isLoading && <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("loading")}</p>}

      {preview && (
        <div className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800">
          <p className="text-sm text-zinc-500">{preview.fileName}</p>
          <p data-testid="import-preview" className="mt-1 font-medium">
            {preview.sentence}
          </p>
          <div className="mt-3 flex gap-2">
            <button
              type="button"
              disabled={busy}
              onClick={() => confirm.mutate({ importId: preview.id })}
              className="rounded-full bg-sky-600 px-4 py-2 text-sm font-medium text-white disabled:opacity-50"
            >
              {t("confirm")}
            </button>
            <button
              type="button"
              disabled={busy}
              onClick={() => discard.mutate({ importId: preview.id })}
              className="rounded-full px-4 py-2 text-sm text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
            >
              {t("cancel")}
            </button>
          </div>
          {confirm.error && (
            <p role="alert" className="mt-2 text-sm text-red-700">
              {confirm.error.message}
            </p>
          )}
        </div>
      )}

      {progress && current && current.status !== "PREVIEW" && (
        <div className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800" data-testid="import-progress">
          <p className="text-sm text-zinc-500">{current.fileName}</p>
          <div
            role="progressbar"
            aria-label={t("progress")}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={progress.percent}
            className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
          >
            <div className="h-full bg-sky-600 transition-[width]" style={{ width: `${progress.percent}%` }} />
          </div>
          <p className="mt-2 text-sm" aria-live="polite" data-testid="import-counts">
            {t("counts", {
              parsed: progress.parsed,
              total: progress.total,
              fetched: progress.fetched,
              saved: progress.saved,
              skipped: progress.skipped,
              deleted: progress.deletedOnX,
            })}
          </p>
          {progress.message && (
            <p
              role={progress.phase === "failed" ? "alert" : "status"}
              className={`mt-1 text-sm ${progress.phase === "failed" ? "text-red-700" : "text-zinc-600 dark:text-zinc-300"}`}
            >
              {progress.message}
            </p>
          )}
          {running && <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{t("leave")}</p>}
        </div>
      )}

      {!latest.isLoading && !current && !upload.isPending && <p className="text-sm text-zinc-600 dark:text-zinc-400">{t("none")}</p>}
    </section>
  );
}
