import { useTranslations } from "next-intl";
import { isArchivedUrl } from "~/lib/media-url";
import type { MediaItem } from "~/server/x/map";
import { ArchivedVideo } from "./archived-video";
import { formatDuration } from "./format";

/**
 * The box a single picture takes, from X's media dimensions, so the card has its final height
 * before the image loads (no layout shift). Very tall pictures are cropped to 4:5, very wide
 * ones to 2:1; unknown sizes get 16:9.
 */
export function aspectRatio(width: number | null | undefined, height: number | null | undefined, fallback = 16 / 9): number {
  if (!width || !height || width <= 0 || height <= 0) return fallback;
  return Math.min(2, Math.max(4 / 5, width / height));
}

/** A post's photos and videos (up to four), lazy-loaded into boxes sized up front. */
export function MediaGrid({ media, postUrl, compact = false }: { media: MediaItem[]; postUrl: string; compact?: boolean }) {
  const t = useTranslations("common");
  const shown = media.slice(0, 4);
  const single = shown.length === 1 ? shown[0] : undefined;
  const cols = single ? "grid-cols-1" : "grid-cols-2";
  // One picture keeps its own shape; several share a 16:9 grid (two rows of 4:3 cells when 3-4).
  const ratio = single ? aspectRatio(single.width, single.height) : shown.length === 2 ? 16 / 9 : 4 / 3;
  return (
    <div
      className={`mt-2 grid ${cols} gap-0.5 overflow-hidden rounded-xl border border-zinc-200 dark:border-zinc-800 ${compact ? "max-w-72" : ""}`}
      style={{ aspectRatio: String(ratio), gridAutoRows: "1fr" }}
    >
      {shown.map((m, i) => {
        const video = m.type !== "photo";
        const tall = shown.length === 3 && i === 0;
        // An archived video plays here (seekable: the media route answers range requests).
        if (video && isArchivedUrl(m.videoUrl)) return <ArchivedVideo key={m.key} media={m} tall={tall} />;
        return (
          <a
            key={m.key}
            href={video ? postUrl : (m.url ?? postUrl)}
            target="_blank"
            rel="noreferrer"
            className={`relative block min-h-0 bg-zinc-100 dark:bg-zinc-800 ${tall ? "row-span-2" : ""}`}
            aria-label={m.altText ?? (video ? "Video" : "Image")}
          >
            {m.previewUrl && (
              <img
                src={m.previewUrl}
                alt={m.altText ?? ""}
                loading="lazy"
                decoding="async"
                width={m.width ?? undefined}
                height={m.height ?? undefined}
                className="size-full object-cover"
                data-testid="media-image"
              />
            )}
            {video && (
              <span className="absolute inset-0 grid place-items-center">
                <span className="grid size-12 place-items-center rounded-full bg-black/60 text-xl text-white">▶</span>
                {m.durationMs !== null && (
                  <span className="absolute bottom-1.5 left-1.5 rounded bg-black/70 px-1.5 text-xs text-white">
                    {m.type === "animated_gif" ? t("gif") : formatDuration(m.durationMs)}
                  </span>
                )}
              </span>
            )}
          </a>
        );
      })}
    </div>
  );
}
