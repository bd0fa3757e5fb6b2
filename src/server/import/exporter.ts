import { z } from "zod";
import { externalUrl } from "~/lib/safe-url";
import { X_MEDIA_ORIGINS } from "~/server/http/security-headers";
import { FILE_SOURCE } from "~/server/sync/post-upsert";
import { extraMediaOrigins } from "~/server/x/config";
import type { AuthorRow, MediaItem, PostRow } from "~/server/x/map";

/**
 * A media or avatar URL from an uploaded file, kept only on X's media hosts (or the sandbox's
 * while it stands in for X): the media archive downloads these, so a file must not be able to
 * point the worker at an internal address.
 */
function xMediaUrl(value: string | null | undefined): string | null {
  const url = externalUrl(value, extraMediaOrigins);
  if (!url) return null;
  const origin = new URL(url).origin;
  return (X_MEDIA_ORIGINS as readonly string[]).includes(origin) || extraMediaOrigins.includes(origin) ? url : null;
}

/** An X post id: X's ids are decimal snowflakes of up to 19 digits. */
export const POST_ID = /^[0-9]{1,19}$/;

const count = z.coerce.number().int().min(0).catch(0);
const flag = z.union([z.boolean(), z.enum(["true", "false", ""]).transform((v) => v === "true")]).catch(false);
const media = z.object({
  type: z.enum(["photo", "video", "animated_gif"]),
  url: z.string().optional(),
  thumbnail: z.string().optional(),
  original: z.string().optional(),
  ext_alt_text: z.string().nullish(),
});

/**
 * One post of a twitter-web-exporter file (JSON, or a CSV row whose nested values are JSON), the
 * fields the library uses. Unknown keys (metadata, media_tags, …) are dropped.
 */
export const exporterPost = z.object({
  id: z.string().regex(POST_ID, "is not a post id"),
  created_at: z.string().refine((s) => !Number.isNaN(exporterTime(s)), "is not a date (YYYY-MM-DD HH:mm:ss Z)"),
  full_text: z.string().default(""),
  media: z
    .union([
      z.array(media),
      z.string().transform((s, ctx) => {
        if (s === "") return [];
        try {
          return z.array(media).parse(JSON.parse(s));
        } catch {
          ctx.addIssue({ code: "custom", message: "media is not a JSON list of media" });
          return z.NEVER;
        }
      }),
    ])
    .default([]),
  screen_name: z.string().min(1),
  name: z.string().default(""),
  profile_image_url: z.string().nullish(),
  user_id: z.string().regex(POST_ID, "is not a user id"),
  favorite_count: count.optional(),
  retweet_count: count.optional(),
  bookmark_count: count.optional(),
  quote_count: count.optional(),
  reply_count: count.optional(),
  views_count: count.optional(),
  favorited: flag.optional(),
});
export type ExporterPost = z.output<typeof exporterPost>;

/** `2025-03-01 12:00:00 +09:00` (twitter-web-exporter's created_at) → ms; NaN when it is not one. */
export function exporterTime(s: string): number {
  const m = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ?([+-]\d\d):?(\d\d)$/.exec(s.trim());
  if (!m) return Date.parse(s);
  return Date.parse(`${m[1]}T${m[2]}${m[3]}:${m[4]}`);
}

/** An exporter post as the rows a sync would have saved (no API call: the file has it all). */
export function exporterRows(p: ExporterPost): { post: PostRow; author: AuthorRow } {
  const items: MediaItem[] = p.media.map((m, i) => {
    const original = xMediaUrl(m.original);
    const thumbnail = xMediaUrl(m.thumbnail);
    return {
      key: `exporter_${p.id}_${i}`,
      type: m.type,
      url: m.type === "photo" ? (original ?? thumbnail) : null,
      previewUrl: thumbnail ?? original,
      width: null,
      height: null,
      altText: m.ext_alt_text ?? null,
      durationMs: null,
      videoUrl: m.type === "photo" ? null : original,
    };
  });
  const avatar = xMediaUrl(p.profile_image_url);
  // Marked as a file's word (sync/post-upsert.ts): never the shared truth for anyone else.
  const rawUser = {
    source: FILE_SOURCE,
    id: p.user_id,
    username: p.screen_name,
    name: p.name,
    ...(avatar && { profile_image_url: avatar }),
  };
  return {
    post: {
      id: p.id,
      authorId: p.user_id,
      text: p.full_text,
      postedAt: new Date(exporterTime(p.created_at)),
      lang: null,
      conversationId: null,
      entities: null,
      metrics: {
        like_count: p.favorite_count ?? 0,
        retweet_count: p.retweet_count ?? 0,
        reply_count: p.reply_count ?? 0,
        quote_count: p.quote_count ?? 0,
        bookmark_count: p.bookmark_count ?? 0,
        impression_count: p.views_count ?? 0,
      },
      media: items.length ? items : null,
      // The exporter's file names no quoted or replied-to post ids.
      quotedId: null,
      replyToId: null,
      // What the file said, for the record (the post did not come from X's API).
      raw: { ...p, source: FILE_SOURCE } as unknown as PostRow["raw"],
    },
    author: {
      id: p.user_id,
      username: p.screen_name,
      name: p.name || p.screen_name,
      profileImageUrl: avatar,
      verified: false,
      description: null,
      raw: rawUser as AuthorRow["raw"],
    },
  };
}
