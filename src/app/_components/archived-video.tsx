import type { MediaItem } from "~/server/x/map";

/** A video or GIF from the media archive, played in the card (GIFs loop silently, as on X). */
export function ArchivedVideo({ media, tall, single }: { media: MediaItem; tall: boolean; single: boolean }) {
  const gif = media.type === "animated_gif";
  return (
    <div className={`relative bg-black ${tall ? "row-span-2" : ""} ${single ? "aspect-video" : "aspect-[4/3]"}`}>
      <video
        src={media.videoUrl ?? undefined}
        poster={media.previewUrl ?? undefined}
        controls={!gif}
        loop={gif}
        muted={gif}
        autoPlay={gif}
        playsInline
        preload="metadata"
        aria-label={media.altText ?? (gif ? "GIF" : "Video")}
        data-testid="archived-video"
        className="size-full object-contain"
      />
    </div>
  );
}
