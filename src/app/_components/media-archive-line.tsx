"use client";

import { useTranslations } from "next-intl";
import { formatBytes } from "./format";
import { useMediaArchive } from "./use-media-archive";

// Labels: media.mode<value> in the catalogue.
const MODES = [{ value: "ALL" }, { value: "IMAGES" }, { value: "OFF" }] as const;

/** The sync panel's media archive line: progress, bytes stored, and what to keep. */
export function MediaArchiveLine() {
  const t = useTranslations("media");
  const { status, setMode } = useMediaArchive();
  const s = status.data;
  if (!s) return null;
  const total = s.pending + s.stored + s.failed + s.skipped;
  const percent = total > 0 ? Math.round((s.stored / total) * 100) : 100;
  return (
    <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-500" data-testid="media-archive">
      <span data-testid="media-archive-progress">
        {s.mode === "OFF" ? t("off") : t("summary", { stored: s.stored, total, percent, size: formatBytes(s.bytes) })}
        {s.pending > 0 && s.mode !== "OFF" ? t("toFetch", { count: s.pending }) : ""}
        {s.failed > 0 ? t("unavailable", { count: s.failed }) : ""}
        {s.skipped > 0 ? t("skipped", { count: s.skipped }) : ""}
      </span>
      {s.pending > 0 && s.mode !== "OFF" && (
        <progress max={total} value={s.stored} aria-label={t("progress")} className="h-1.5 w-32 accent-sky-600" />
      )}
      <label className="ml-auto flex items-center gap-1.5">
        <span className="sr-only">{t("modeLabel")}</span>
        <select
          value={s.mode}
          disabled={setMode.isPending}
          onChange={(e) => setMode.mutate({ mode: MODES.find((m) => m.value === e.target.value)?.value ?? "ALL" })}
          data-testid="media-archive-mode"
          className="rounded-md border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700"
        >
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {t(`mode${m.value}`)}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
