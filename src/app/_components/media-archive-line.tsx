"use client";

import { formatBytes, formatCount } from "./format";
import { useMediaArchive } from "./use-media-archive";

const MODES = [
  { value: "ALL", label: "Keep all media" },
  { value: "IMAGES", label: "Keep images only" },
  { value: "OFF", label: "Don't keep media" },
] as const;

/** The sync panel's media archive line: progress, bytes stored, and what to keep. */
export function MediaArchiveLine() {
  const { status, setMode } = useMediaArchive();
  const s = status.data;
  if (!s) return null;
  const total = s.pending + s.stored + s.failed + s.skipped;
  const percent = total > 0 ? Math.round((s.stored / total) * 100) : 100;
  return (
    <div className="mt-3 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-500" data-testid="media-archive">
      <span data-testid="media-archive-progress">
        {s.mode === "OFF"
          ? "Media archive off"
          : `Media archive: ${formatCount(s.stored)} of ${formatCount(total)} files (${percent}%) · ${formatBytes(s.bytes)} stored`}
        {s.pending > 0 && s.mode !== "OFF" ? ` · ${formatCount(s.pending)} to fetch` : ""}
        {s.failed > 0 ? ` · ${formatCount(s.failed)} unavailable` : ""}
        {s.skipped > 0 ? ` · ${formatCount(s.skipped)} skipped` : ""}
      </span>
      {s.pending > 0 && s.mode !== "OFF" && (
        <progress max={total} value={s.stored} aria-label="Media archive progress" className="h-1.5 w-32 accent-sky-600" />
      )}
      <label className="ml-auto flex items-center gap-1.5">
        <span className="sr-only">What the media archive keeps</span>
        <select
          value={s.mode}
          disabled={setMode.isPending}
          onChange={(e) => setMode.mutate({ mode: MODES.find((m) => m.value === e.target.value)?.value ?? "ALL" })}
          data-testid="media-archive-mode"
          className="rounded-md border border-zinc-300 bg-transparent px-2 py-1 text-sm dark:border-zinc-700"
        >
          {MODES.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
