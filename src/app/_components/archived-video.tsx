import { useTranslations } from "next-intl";
import type { MediaItem } from "~/server/x/map";

/** A video or GIF from the media archive, played in the card (GIFs loop silently, as on X). */
export function ArchivedVideo({ media, tall }: { media: MediaItem; tall: boolean }) {
  const t = useTranslations("common");
  const gif = media.type === "animated_gif";
  return (
    <div className={`relative min-h-0 bg-black ${tall ? "row-span-2" : ""}`}>
      <video
        src={media.videoUrl ?? undefined}
        poster={media.previewUrl ?? undefined}
        controls={!gif}
        loop={gif}
        muted={gif}
        autoPlay={gif}
        playsInline
        preload="metadata"
        aria-label={media.altText ?? (gif ? t("gif") : t("video"))}
        data-testid="archived-video"
        className="size-full object-contain"
      />
    </div>
  );
}
