import { z } from "zod";

/**
 * The parts of X API v2 answers we read (shared/x-api/openapi.json, v2.167). Objects are
 * loose: X adds fields over time and we keep the raw payload anyway. Post items are checked
 * one by one (see map.ts) so one malformed post never sinks a page.
 */

export const xUser = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  username: z.string().min(1),
  profile_image_url: z.string().optional(),
  verified: z.boolean().optional(),
  description: z.string().optional(),
});
export type XUser = z.infer<typeof xUser>;

const entitySpan = { start: z.number().int().nonnegative(), end: z.number().int().nonnegative() };
export const xEntities = z.looseObject({
  urls: z
    .array(
      z.looseObject({
        ...entitySpan,
        url: z.string(),
        expanded_url: z.string().optional(),
        display_url: z.string().optional(),
        media_key: z.string().optional(),
        // Link metadata X adds when it could read the page (all nullable in the spec).
        unwound_url: z.string().nullish(),
        title: z.string().nullish(),
        description: z.string().nullish(),
        images: z.array(z.looseObject({ url: z.string().nullish(), width: z.number().nullish(), height: z.number().nullish() })).nullish(),
      }),
    )
    .optional(),
  mentions: z.array(z.looseObject({ ...entitySpan, username: z.string(), id: z.string().optional() })).optional(),
  hashtags: z.array(z.looseObject({ ...entitySpan, tag: z.string() })).optional(),
  cashtags: z.array(z.looseObject({ ...entitySpan, tag: z.string() })).optional(),
});
export type XEntities = z.infer<typeof xEntities>;

/** How a post refers to another: `quoted`, `replied_to` (or `retweeted`; X may add kinds). */
export const xReference = z.looseObject({ type: z.string(), id: z.string().min(1) });

export const xPost = z.looseObject({
  id: z.string().min(1),
  text: z.string(),
  author_id: z.string().min(1),
  created_at: z.iso.datetime({ offset: true }),
  lang: z.string().optional(),
  conversation_id: z.string().optional(),
  entities: xEntities.optional(),
  public_metrics: z.record(z.string(), z.number()).optional(),
  attachments: z.looseObject({ media_keys: z.array(z.string()).optional() }).optional(),
  // Long posts carry their full text here (named note_tweet, or note_post in spec 2.167).
  note_tweet: z.looseObject({ text: z.string(), entities: xEntities.optional() }).optional(),
  note_post: z.looseObject({ text: z.string(), entities: xEntities.optional() }).optional(),
  // Quotes, replies and reposts (named referenced_tweets, or referenced_posts in spec 2.167).
  referenced_tweets: z.array(xReference).optional(),
  referenced_posts: z.array(xReference).optional(),
});
export type XPost = z.infer<typeof xPost>;

export const xMedia = z.looseObject({
  media_key: z.string().min(1),
  type: z.string(),
  url: z.string().optional(),
  preview_image_url: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  alt_text: z.string().optional(),
  duration_ms: z.number().optional(),
  variants: z.array(z.looseObject({ url: z.string(), content_type: z.string().optional(), bit_rate: z.number().optional() })).optional(),
});
export type XMedia = z.infer<typeof xMedia>;

/** A partial-success error inside a 200 answer (e.g. a deleted post). */
export const xPartialError = z.looseObject({
  title: z.string().optional(),
  detail: z.string().optional(),
  type: z.string().optional(),
  resource_id: z.string().optional(),
  resource_type: z.string().optional(),
  /** Which parameter the missing resource came from: `referenced_tweets.id` for a quoted/replied-to post. */
  parameter: z.string().optional(),
  value: z.string().optional(),
});
export type XPartialError = z.infer<typeof xPartialError>;

/** One page of GET /2/users/:id/bookmarks; `data` items are validated individually later. */
export const xBookmarksPage = z.looseObject({
  data: z.array(z.unknown()).optional(),
  includes: z
    .looseObject({
      users: z.array(z.unknown()).optional(),
      media: z.array(z.unknown()).optional(),
      // Referenced posts (`referenced_tweets.id`): `tweets` live, `posts` in spec 2.167.
      tweets: z.array(z.unknown()).optional(),
      posts: z.array(z.unknown()).optional(),
    })
    .optional(),
  errors: z.array(xPartialError).optional(),
  meta: z
    .looseObject({
      result_count: z.number().optional(),
      next_token: z.string().optional(),
    })
    .optional(),
});
export type XBookmarksPage = z.infer<typeof xBookmarksPage>;

export const xMeResponse = z.looseObject({ data: xUser });

const pageMeta = z.looseObject({ result_count: z.number().optional(), next_token: z.string().optional() }).optional();

/** GET /2/users/:id/bookmarks/folders. */
export const xFoldersPage = z.looseObject({
  data: z.array(z.looseObject({ id: z.string(), name: z.string() })).optional(),
  errors: z.array(xPartialError).optional(),
  meta: pageMeta,
});
export type XFoldersPage = z.infer<typeof xFoldersPage>;

/** GET /2/users/:id/bookmarks/folders/:folder_id: post ids only (hydrate them with a lookup). */
export const xFolderIdsPage = z.looseObject({
  data: z.array(z.looseObject({ id: z.string().regex(/^\d{1,19}$/) })).optional(),
  errors: z.array(xPartialError).optional(),
  meta: pageMeta,
});
export type XFolderIdsPage = z.infer<typeof xFolderIdsPage>;

/** POST /2/users/:id/bookmarks and DELETE …/bookmarks/:tweet_id: the bookmark's state after the write. */
export const xBookmarkWrite = z.looseObject({ data: z.looseObject({ bookmarked: z.boolean() }) });
export type XBookmarkWrite = z.infer<typeof xBookmarkWrite>;

/** RFC 7807 problem, plus the older `{ errors: [{ code, message }] }` shape. */
export const xProblem = z.looseObject({
  type: z.string().optional(),
  title: z.string().optional(),
  detail: z.string().optional(),
  status: z.number().optional(),
  reason: z.string().optional(),
  period: z.string().optional(),
  errors: z.array(z.looseObject({ code: z.number().optional(), message: z.string().optional() })).optional(),
});
export type XProblem = z.infer<typeof xProblem>;

export const xTokenResponse = z.looseObject({
  token_type: z.string(),
  access_token: z.string().min(1),
  expires_in: z.number().optional(),
  refresh_token: z.string().optional(),
  scope: z.string().optional(),
});
export type XTokenResponse = z.infer<typeof xTokenResponse>;
