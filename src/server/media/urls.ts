import { mediaPath } from "~/lib/media-url";
import type { MediaItem } from "~/server/x/map";

/** A post's stored files: `<mediaKey>:<role>` → [sha256, thumbnail sha256 | null]. */
export type ArchivedFiles = Record<string, [string, string | null]>;

/**
 * What a card shows: the archived copy where one is stored (photo and its thumbnail, a video's
 * MP4 and poster, the avatar), X's URL otherwise.
 */
export function withArchivedMedia(
  media: MediaItem[],
  avatarUrl: string | null,
  archived: ArchivedFiles | null,
): { media: MediaItem[]; avatarUrl: string | null } {
  if (!archived) return { media, avatarUrl };
  const file = (key: string, role: string) => archived[`${key}:${role}`];
  const out = media.map((m) => {
    if (m.type === "photo") {
      const photo = file(m.key, "photo");
      if (!photo) return m;
      return { ...m, url: mediaPath(photo[0]), previewUrl: mediaPath(photo[1] ?? photo[0]) };
    }
    const poster = file(m.key, "poster");
    const video = file(m.key, "video");
    return {
      ...m,
      previewUrl: poster ? mediaPath(poster[1] ?? poster[0]) : m.previewUrl,
      videoUrl: video ? mediaPath(video[0]) : m.videoUrl,
    };
  });
  const avatar = file("avatar", "avatar");
  return { media: out, avatarUrl: avatar ? mediaPath(avatar[0]) : avatarUrl };
}
