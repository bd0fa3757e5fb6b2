/** The sandbox's own records. Serialisation into X's JSON shapes lives in fields.ts. */

export interface UrlEntity {
  start: number;
  end: number;
  url: string;
  expanded_url: string;
  display_url: string;
  media_key?: string;
  status?: number;
  title?: string;
  description?: string;
  unwound_url?: string;
  /** Preview images of the linked page (X lists several sizes). */
  images?: { url: string; width: number; height: number }[];
}
export interface MentionEntity {
  start: number;
  end: number;
  username: string;
  id: string;
}
export interface TagEntity {
  start: number;
  end: number;
  tag: string;
}
export interface PostEntities {
  urls?: UrlEntity[];
  mentions?: MentionEntity[];
  hashtags?: TagEntity[];
  cashtags?: TagEntity[];
}

export interface UserMetrics {
  followers_count: number;
  following_count: number;
  tweet_count: number;
  listed_count: number;
  like_count: number;
  media_count: number;
}

export interface SandboxUser {
  id: string;
  username: string;
  name: string;
  createdAt: string;
  description: string;
  location?: string;
  /** Profile website: t.co link and where it goes. */
  url?: { url: string; expanded_url: string; display_url: string };
  verified: boolean;
  verifiedType: "blue" | "business" | "none";
  metrics: UserMetrics;
  /** A test account that can log in on the consent page (seeded or created via the control API). */
  account: boolean;
  /** Order on the consent page. */
  accountOrder?: number;
}

export interface PostMetrics {
  retweet_count: number;
  reply_count: number;
  like_count: number;
  quote_count: number;
  bookmark_count: number;
  impression_count: number;
}

export type MediaType = "photo" | "video" | "animated_gif";

export interface SandboxMedia {
  key: string;
  type: MediaType;
  width: number;
  height: number;
  altText?: string;
  durationMs?: number;
  /** The post it is attached to (its files answer 404 once the post is deleted). */
  postId?: string;
  /** Relative paths, prefixed with the public URL when served. */
  imagePath: string;
  variants?: { bit_rate?: number; content_type: string; path: string }[];
}

export interface SandboxPost {
  id: string;
  authorId: string;
  text: string;
  createdMs: number;
  createdAt: string;
  lang: "ja" | "en";
  entities: PostEntities;
  displayTextRange: [number, number];
  mediaKeys?: string[];
  metrics: PostMetrics;
  conversationId: string;
  inReplyToUserId?: string;
  referenced?: { type: "replied_to" | "quoted"; id: string }[];
  possiblySensitive: boolean;
  replySettings: "everyone" | "following" | "mentionedUsers";
  source: string;
  /** Long posts (over 280 characters): the full text; `text` holds the start. */
  note?: { text: string; entities: PostEntities };
  /** Deleted by its author: reported in errors[] from then on. */
  deleted: boolean;
}
