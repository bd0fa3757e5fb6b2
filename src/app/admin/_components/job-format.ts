import { formatDuration } from "~/app/_components/format";

/** A job's running time: "26 ms", "12.3 s", then "4:05". */
export function formatTook(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return formatDuration(ms);
}
