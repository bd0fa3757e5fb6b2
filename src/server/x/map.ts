import {
  xMedia,
  xPost,
  xUser,
  type XBookmarksPage,
  type XEntities,
  type XMedia,
  type XPartialError,
  type XPost,
  type XUser,
} from "./schemas";

/** Media as the library shows it, independent of X's field names. */
export interface MediaItem {
  key: string;
  type: string; // photo | video | animated_gif
  url: string | null; // full-size image (photos)
  previewUrl: string | null; // what to show as a thumbnail
  width: number | null;
  height: number | null;
  altText: string | null;
  durationMs: number | null;
  videoUrl: string | null; // best mp4 variant (videos, GIFs)
}

export interface AuthorRow {
  id: string;
  username: string;
  name: string;
  profileImageUrl: string | null;
  verified: boolean;
  description: string | null;
  raw: XUser;
}

export interface PostRow {
  id: string;
  authorId: string;
  text: string;
  postedAt: Date;
  lang: string | null;
  conversationId: string | null;
  entities: XEntities | null;
  metrics: Record<string, number> | null;
  media: MediaItem[] | null;
  /** The post this one quotes, and the one it answers (X's `referenced_tweets`). */
  quotedId: string | null;
  replyToId: string | null;
  raw: XPost;
}

/** Something on a page we could not save, recorded on the sync run. */
export interface SkippedItem {
  postId: string | null;
  reason: string;
}

export interface MappedPage {
  authors: AuthorRow[];
  posts: PostRow[]; // in X's order (newest bookmarked first), de-duplicated
  /** Quoted and replied-to posts from `includes` (stored as posts, not bookmarks), none also in `posts`. */
  referenced: PostRow[];
  /** Each saved post's index in the page's `data`, so skipped items keep their place in the order. */
  order: Map<string, number>;
  /** How many places in X's order the page occupies. */
  span: number;
  skipped: SkippedItem[];
  /** Posts X reports as gone (deleted by their author): marked "deleted on X", kept here. */
  gone: string[];
}

/**
 * The ids of posts an answer's `errors[]` reports as not found: deleted on X (bookmarks pages and
 * `GET /2/tweets?ids=` lookups alike). Protected or suspended posts (not-authorized) are not.
 */
export function goneOnX(errors: readonly XPartialError[] | undefined): string[] {
  const ids: string[] = [];
  for (const e of errors ?? []) {
    const id = e.resource_id ?? e.value;
    if (!id || !/^\d{1,19}$/.test(id)) continue;
    if (e.resource_type !== undefined && e.resource_type !== "tweet" && e.resource_type !== "post") continue;
    if (e.type?.endsWith("/resource-not-found") || /^Not Found/i.test(e.title ?? "")) ids.push(id);
  }
  return ids;
}

/** The first reference of a kind (X lists at most one quote and one parent per post). */
function referenceOf(p: XPost, type: "quoted" | "replied_to"): string | null {
  return (p.referenced_tweets ?? p.referenced_posts ?? []).find((r) => r.type === type)?.id ?? null;
}

/** One post as stored: a long post's full text and entities (note_tweet) replace the start X puts in `text`. */
export function mapPost(p: XPost, media: ReadonlyMap<string, MediaItem>): PostRow {
  const note = p.note_tweet ?? p.note_post;
  const items = (p.attachments?.media_keys ?? []).map((k) => media.get(k)).filter((m): m is MediaItem => m !== undefined);
  return {
    id: p.id,
    authorId: p.author_id,
    text: note?.text ?? p.text,
    postedAt: new Date(p.created_at),
    lang: p.lang ?? null,
    conversationId: p.conversation_id ?? null,
    entities: (note ? note.entities : p.entities) ?? null,
    metrics: p.public_metrics ?? null,
    media: items.length > 0 ? items : null,
    quotedId: referenceOf(p, "quoted"),
    replyToId: referenceOf(p, "replied_to"),
    raw: p,
  };
}

export function mapMedia(m: XMedia): MediaItem {
  const mp4 = (m.variants ?? []).filter((v) => v.content_type === "video/mp4").sort((a, b) => (b.bit_rate ?? 0) - (a.bit_rate ?? 0))[0];
  return {
    key: m.media_key,
    type: m.type,
    url: m.url ?? null,
    previewUrl: m.preview_image_url ?? m.url ?? null,
    width: m.width ?? null,
    height: m.height ?? null,
    altText: m.alt_text ?? null,
    durationMs: m.duration_ms ?? null,
    videoUrl: mp4?.url ?? null,
  };
}

export function mapAuthor(u: XUser): AuthorRow {
  return {
    id: u.id,
    username: u.username,
    name: u.name,
    profileImageUrl: u.profile_image_url ?? null,
    verified: u.verified ?? false,
    description: u.description ?? null,
    raw: u,
  };
}

/**
 * Turns one bookmarks page into rows. Valid posts are kept even when others on the page are
 * malformed or reported in `errors[]` (X's partial success); each dropped item is listed.
 */
export function mapBookmarksPage(page: XBookmarksPage): MappedPage {
  const skipped: SkippedItem[] = [];

  const authors = new Map<string, AuthorRow>();
  for (const raw of page.includes?.users ?? []) {
    const u = xUser.safeParse(raw);
    if (u.success) authors.set(u.data.id, mapAuthor(u.data));
  }
  const media = new Map<string, MediaItem>();
  for (const raw of page.includes?.media ?? []) {
    const m = xMedia.safeParse(raw);
    if (m.success) media.set(m.data.media_key, mapMedia(m.data));
  }

  const posts: PostRow[] = [];
  const order = new Map<string, number>();
  const data = page.data ?? [];
  for (const [index, raw] of data.entries()) {
    const parsed = xPost.safeParse(raw);
    const id = idOf(raw);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".") || "(post)"))].join(", ");
      skipped.push({ postId: id, reason: `malformed post: ${fields}` });
      continue;
    }
    const p = parsed.data;
    if (order.has(p.id)) continue;
    if (!authors.has(p.author_id)) {
      skipped.push({ postId: p.id, reason: `author ${p.author_id} missing from includes` });
      continue;
    }
    order.set(p.id, index);
    posts.push(mapPost(p, media));
  }

  // Referenced posts are extras: one X cannot serve (deleted, or its author missing) only leaves
  // its bookmark's nested card empty, so it is dropped without a skipped item.
  const referenced = new Map<string, PostRow>();
  for (const raw of [...(page.includes?.tweets ?? []), ...(page.includes?.posts ?? [])]) {
    const parsed = xPost.safeParse(raw);
    const p = parsed.data;
    if (!parsed.success || !p || order.has(p.id) || referenced.has(p.id) || !authors.has(p.author_id)) continue;
    referenced.set(p.id, mapPost(p, media));
  }

  for (const e of page.errors ?? []) {
    // A quoted or replied-to post (or its author) X cannot serve is not a bookmark of this page.
    if (e.parameter?.startsWith("referenced_")) continue;
    skipped.push({
      postId: e.resource_id ?? e.value ?? null,
      reason: e.detail ?? e.title ?? "reported by X as unavailable",
    });
  }

  const used = new Set([...posts, ...referenced.values()].map((p) => p.authorId));
  return {
    authors: [...authors.values()].filter((a) => used.has(a.id)),
    posts,
    referenced: [...referenced.values()],
    order,
    span: data.length,
    skipped,
    gone: goneOnX(page.errors),
  };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === "string" ? id : null;
}
