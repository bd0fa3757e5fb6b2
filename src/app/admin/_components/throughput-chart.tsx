import { formatClock } from "~/app/_components/format";
import type { QueueOverview } from "./admin-lib";

const W = 600;
const H = 110;
const TOP = 8;
const BOTTOM = 18;

/** A round number at or above `n` for the chart's top line: 1, 2, 5, 10, 20, 50, … */
function niceMax(n: number): number {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/**
 * Completed and failed jobs per minute over the last hour, as stacked bars (completed below,
 * failed on top), oldest on the left. Each bar says its minute and counts on hover.
 */
export function ThroughputChart({ points, label }: { points: QueueOverview["perMinute"]; label: string }) {
  const n = points.length || 1;
  const slot = W / n;
  const bar = Math.max(1, slot - 2);
  const peak = Math.max(0, ...points.map((p) => p.completed + p.failed));
  const top = niceMax(peak);
  const plot = H - TOP - BOTTOM;
  const y = (v: number) => (v / top) * plot;
  const completed = points.reduce((s, p) => s + p.completed, 0);
  const failed = points.reduce((s, p) => s + p.failed, 0);

  return (
    <figure className="min-w-0">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-label={`${label}: ${completed} completed and ${failed} failed in the last hour; busiest minute ${peak}.`}
        className="h-28 w-full overflow-visible"
        preserveAspectRatio="none"
        data-testid="throughput-chart"
      >
        {/* Top line with its value, and the base line. */}
        <line
          x1={0}
          x2={W}
          y1={TOP}
          y2={TOP}
          className="stroke-zinc-200 dark:stroke-zinc-800"
          strokeDasharray="3 3"
          vectorEffect="non-scaling-stroke"
        />
        <line
          x1={0}
          x2={W}
          y1={H - BOTTOM}
          y2={H - BOTTOM}
          className="stroke-zinc-300 dark:stroke-zinc-700"
          vectorEffect="non-scaling-stroke"
        />
        {points.map((p, i) => {
          const x = i * slot + (slot - bar) / 2;
          const hc = y(p.completed);
          const hf = y(p.failed);
          const base = H - BOTTOM;
          return (
            <g key={i}>
              <title>{`${formatClock(p.at)}: ${p.completed} completed, ${p.failed} failed`}</title>
              {/* A transparent full-height target, so the minute's tooltip is easy to hover. */}
              <rect x={i * slot} y={TOP} width={slot} height={plot} fill="transparent" />
              {p.completed > 0 && <rect x={x} y={base - hc} width={bar} height={hc} rx={1} className="fill-emerald-500" />}
              {p.failed > 0 && <rect x={x} y={base - hc - hf} width={bar} height={hf} rx={1} className="fill-red-500" />}
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex items-center gap-3 text-xs text-zinc-500">
        <span className="tabular-nums">{points[0] ? formatClock(points[0].at) : ""}</span>
        <span className="flex flex-1 items-center justify-center gap-3">
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="size-2 rounded-sm bg-emerald-500" /> completed
          </span>
          <span className="inline-flex items-center gap-1">
            <span aria-hidden className="size-2 rounded-sm bg-red-500" /> failed
          </span>
          <span className="tabular-nums">top line: {top}/min</span>
        </span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
