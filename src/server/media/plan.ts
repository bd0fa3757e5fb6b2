import type { MediaItem } from "~/server/x/map";

export type AssetRole = "photo" | "video" | "poster" | "avatar";
export type ArchiveMode = "ALL" | "IMAGES" | "OFF";

/** One file a post needs archived. `mediaKey` is X's media key, or "avatar". */
export interface PlannedAsset {
  postId: string;
  mediaKey: string;
  role: AssetRole;
  sourceUrl: string;
}

/**
 * A photo's original size: X serves it with `?name=orig` on pbs.twimg.com (and the sandbox
 * answers the same way). Other hosts are left as they are.
 */
export function originalPhotoUrl(url: string): string {
  try {
    const u = new URL(url);
    u.searchParams.delete("format");
    u.searchParams.set("name", "orig");
    return u.toString();
  } catch {
    return url;
  }
}

/** X's avatar URLs end in `_normal.jpg` (48 px); without the suffix they are the uploaded size. */
export function originalAvatarUrl(url: string): string {
  return url.replace(/_(normal|bigger|mini|x96|200x200|400x400)(\.[a-z0-9]+)$/i, "$2");
}

/** What to download for one post: photos, the best MP4 and poster of videos and GIFs, the avatar. */
export function planPost(post: { id: string; media: MediaItem[] | null; avatarUrl: string | null }, mode: ArchiveMode): PlannedAsset[] {
  if (mode === "OFF") return [];
  const out: PlannedAsset[] = [];
  for (const m of post.media ?? []) {
    if (m.type === "photo") {
      const url = m.url ?? m.previewUrl;
      if (url) out.push({ postId: post.id, mediaKey: m.key, role: "photo", sourceUrl: originalPhotoUrl(url) });
      continue;
    }
    if (m.previewUrl) out.push({ postId: post.id, mediaKey: m.key, role: "poster", sourceUrl: m.previewUrl });
    if (mode === "ALL" && m.videoUrl) out.push({ postId: post.id, mediaKey: m.key, role: "video", sourceUrl: m.videoUrl });
  }
  if (post.avatarUrl) out.push({ postId: post.id, mediaKey: "avatar", role: "avatar", sourceUrl: originalAvatarUrl(post.avatarUrl) });
  return out;
}
