/**
 * Field and expansion parameters, and serialisation of posts, users and media into X's JSON:
 * only the default fields plus what was asked for, like X. Names follow the live API
 * (`tweet.fields`, `referenced_tweets`, `note_tweet`, `includes.tweets`) and also accept the
 * names of the OpenAPI description v2.167 (`post.fields`, `referenced_posts`, `note_post`).
 */
import type { ParameterError } from "./problems";
import type { PostEntities, SandboxMedia, SandboxPost, SandboxUser } from "./types";

const SPEC_POST_FIELDS = [
  "article",
  "article_title",
  "attachments",
  "card_uri",
  "community_id",
  "context_annotations",
  "conversation_id",
  "created_at",
  "display_text_range",
  "edit_controls",
  "entities",
  "geo",
  "id",
  "lang",
  "matched_media_notes",
  "media_metadata",
  "non_public_metrics",
  "note_post",
  "note_request_suggestions",
  "organic_metrics",
  "paid_partnership",
  "possibly_sensitive",
  "promoted_metrics",
  "public_metrics",
  "reply_settings",
  "scopes",
  "source",
  "suggested_source_links",
  "suggested_source_links_with_counts",
  "text",
  "withheld",
];
const LIVE_TWEET_FIELDS = [
  "author_id",
  "edit_history_tweet_ids",
  "in_reply_to_user_id",
  "note_tweet",
  "referenced_tweets",
  "referenced_posts",
  "edit_history_post_ids",
  "username",
];
export const TWEET_FIELDS: readonly string[] = [...new Set([...SPEC_POST_FIELDS, ...LIVE_TWEET_FIELDS])].sort();

export const USER_FIELDS: readonly string[] = [
  "affiliation",
  "confirmed_email",
  "connection_status",
  "created_at",
  "description",
  "entities",
  "id",
  "is_identity_verified",
  "location",
  "most_recent_tweet_id",
  "name",
  "parody",
  "pinned_tweet_id",
  "profile_banner_url",
  "profile_image_url",
  "protected",
  "public_metrics",
  "receives_your_dm",
  "subscribes_to_you",
  "subscription",
  "subscription_type",
  "url",
  "username",
  "verified",
  "verified_followers_count",
  "verified_type",
  "withheld",
];
export const MEDIA_FIELDS: readonly string[] = [
  "alt_text",
  "duration_ms",
  "height",
  "media_key",
  "non_public_metrics",
  "organic_metrics",
  "preview_image_url",
  "promoted_metrics",
  "public_metrics",
  "type",
  "url",
  "variants",
  "width",
];
export const POLL_FIELDS: readonly string[] = ["duration_minutes", "end_datetime", "id", "options", "voting_status"];
export const PLACE_FIELDS: readonly string[] = [
  "contained_within",
  "country",
  "country_code",
  "full_name",
  "geo",
  "id",
  "name",
  "place_type",
];

/** Post expansions: the live API's names and the spec's. */
export const POST_EXPANSIONS: readonly string[] = [
  "article.cover_media",
  "article.media_entities",
  "attachments.media_keys",
  "attachments.media_source_tweet",
  "attachments.poll_ids",
  "author_id",
  "edit_history_post_ids",
  "edit_history_tweet_ids",
  "entities.mentions.username",
  "geo.place_id",
  "in_reply_to_user_id",
  "referenced_posts",
  "referenced_tweets.id",
  "referenced_tweets.id.author_id",
  "username",
];
export const USER_EXPANSIONS: readonly string[] = [
  "affiliation",
  "most_recent_post_id",
  "most_recent_tweet_id",
  "pinned_post_id",
  "pinned_tweet_id",
];

export interface Selection {
  tweet: Set<string>;
  user: Set<string>;
  media: Set<string>;
  expansions: Set<string>;
  /** Stable key of the post-shaping part, for caching serialised posts. */
  postKey: string;
}

/** Parses a comma-separated list parameter against its allowed values, collecting errors. */
export function parseList(name: string, raw: string | undefined, allowed: readonly string[], errors: ParameterError[]): Set<string> {
  const out = new Set<string>();
  if (raw === undefined) return out;
  const items = raw.split(",");
  const bad = items.filter((v) => !allowed.includes(v));
  if (bad.length > 0 || raw === "") {
    const shown = raw === "" ? [""] : bad;
    errors.push({
      parameters: { [name]: [raw] },
      message: `The \`${name}\` query parameter value [${shown.join(",")}] is not one of [${allowed.join(",")}]`,
    });
  }
  for (const v of items) if (allowed.includes(v)) out.add(v);
  return out;
}

export function selectionKey(s: Pick<Selection, "tweet" | "media">): string {
  return `${[...s.tweet].sort().join(",")}|${[...s.media].sort().join(",")}`;
}

// ---- posts -------------------------------------------------------------------------------

function copyEntities(e: PostEntities): PostEntities {
  // Entities are stored once and shared: hand out copies.
  return JSON.parse(JSON.stringify(e)) as PostEntities;
}

function hasEntities(e: PostEntities): boolean {
  return Boolean(e.urls?.length || e.mentions?.length || e.hashtags?.length || e.cashtags?.length);
}

export function serializePost(p: SandboxPost, fields: Set<string>): Record<string, unknown> {
  const o: Record<string, unknown> = { id: p.id, text: p.text, edit_history_tweet_ids: [p.id] };
  for (const f of fields) {
    switch (f) {
      case "attachments":
        if (p.mediaKeys) o.attachments = { media_keys: [...p.mediaKeys] };
        break;
      case "author_id":
        o.author_id = p.authorId;
        break;
      case "conversation_id":
        o.conversation_id = p.conversationId;
        break;
      case "created_at":
        o.created_at = p.createdAt;
        break;
      case "display_text_range":
        o.display_text_range = [...p.displayTextRange];
        break;
      case "edit_controls":
        o.edit_controls = {
          edits_remaining: 5,
          is_edit_eligible: !p.mediaKeys && !p.referenced,
          editable_until: new Date(p.createdMs + 3_600_000).toISOString(),
        };
        break;
      case "entities":
        if (hasEntities(p.entities)) o.entities = copyEntities(p.entities);
        break;
      case "in_reply_to_user_id":
        if (p.inReplyToUserId) o.in_reply_to_user_id = p.inReplyToUserId;
        break;
      case "lang":
        o.lang = p.lang;
        break;
      case "possibly_sensitive":
        o.possibly_sensitive = p.possiblySensitive;
        break;
      case "public_metrics":
        o.public_metrics = { ...p.metrics };
        break;
      case "referenced_tweets":
      case "referenced_posts":
        if (p.referenced) o[f] = p.referenced.map((r) => ({ type: r.type, id: r.id }));
        break;
      case "reply_settings":
        o.reply_settings = p.replySettings;
        break;
      case "source":
        o.source = p.source;
        break;
      case "note_tweet":
      case "note_post":
        if (p.note) o[f] = { text: p.note.text, entities: copyEntities(p.note.entities) };
        break;
      case "edit_history_post_ids":
        o.edit_history_post_ids = [p.id];
        break;
      default:
        // Valid fields this sandbox has no data for (geo, withheld, context_annotations, …) are
        // simply absent, as on X when a post has none.
        break;
    }
  }
  return o;
}

// ---- users -------------------------------------------------------------------------------

export function avatarUrl(base: string, u: SandboxUser): string {
  return `${base}/media/avatars/${u.id}_normal.jpg`;
}

export function serializeUser(u: SandboxUser, fields: Set<string>, base: string): Record<string, unknown> {
  const o: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  for (const f of fields) {
    switch (f) {
      case "created_at":
        o.created_at = u.createdAt;
        break;
      case "description":
        o.description = u.description;
        break;
      case "entities":
        if (u.url) {
          const len = Array.from(u.url.url).length;
          o.entities = { url: { urls: [{ start: 0, end: len, ...u.url }] } };
        }
        break;
      case "location":
        if (u.location) o.location = u.location;
        break;
      case "profile_image_url":
        o.profile_image_url = avatarUrl(base, u);
        break;
      case "protected":
        o.protected = false;
        break;
      case "public_metrics":
        o.public_metrics = { ...u.metrics };
        break;
      case "url":
        o.url = u.url?.url ?? "";
        break;
      case "verified":
        o.verified = u.verified;
        break;
      case "verified_type":
        o.verified_type = u.verifiedType;
        break;
      case "parody":
        o.parody = false;
        break;
      default:
        break;
    }
  }
  return o;
}

// ---- media -------------------------------------------------------------------------------

export function serializeMedia(m: SandboxMedia, fields: Set<string>, base: string): Record<string, unknown> {
  const o: Record<string, unknown> = { media_key: m.key, type: m.type };
  for (const f of fields) {
    switch (f) {
      case "url":
        if (m.type === "photo") o.url = base + m.imagePath;
        break;
      case "preview_image_url":
        if (m.type !== "photo") o.preview_image_url = base + m.imagePath;
        break;
      case "width":
        o.width = m.width;
        break;
      case "height":
        o.height = m.height;
        break;
      case "alt_text":
        if (m.altText) o.alt_text = m.altText;
        break;
      case "duration_ms":
        if (m.durationMs !== undefined) o.duration_ms = m.durationMs;
        break;
      case "variants":
        if (m.variants) {
          o.variants = m.variants.map((v) => ({
            ...(v.bit_rate !== undefined && { bit_rate: v.bit_rate }),
            content_type: v.content_type,
            url: base + v.path,
          }));
        }
        break;
      default:
        break;
    }
  }
  return o;
}
