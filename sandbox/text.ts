import type { MentionEntity, PostEntities, TagEntity, UrlEntity } from "./types";

/** Length in Unicode code points: the unit X uses for entity start/end indices. */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // A high surrogate followed by a low one is one code point.
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/**
 * X's weighted length (twitter-text v3): most Latin text counts 1 per code point, CJK and
 * emoji count 2; the limit is 280. t.co links are always 23 characters, so they count 23.
 */
export function weightedLength(s: string): number {
  let n = 0;
  for (const ch of s) n += charWeight(ch.codePointAt(0)!);
  return n;
}

function charWeight(cp: number): number {
  return cp <= 4351 || (cp >= 8192 && cp <= 8205) || (cp >= 8208 && cp <= 8223) || (cp >= 8242 && cp <= 8247) ? 1 : 2;
}

/** The longest start of `s` whose weighted length is at most `limit`, in code points. */
export function codePointsWithin(s: string, limit: number): number {
  let n = 0;
  let count = 0;
  for (const ch of s) {
    n += charWeight(ch.codePointAt(0)!);
    if (n > limit) break;
    count++;
  }
  return count;
}

/** Slices by code points (like X's indices), not UTF-16 units. */
export function sliceCodePoints(s: string, start: number, end?: number): string {
  return Array.from(s).slice(start, end).join("");
}

/**
 * Builds a post's text piece by piece and records entity positions as it goes, so indices are
 * exact by construction: counted in code points (Japanese characters count 1, an emoji such as
 * 🍜 counts 1, ☕️ counts 2 with its variation selector, 👨‍💻 counts 3).
 */
export class TextBuilder {
  private parts: string[] = [];
  private length = 0;
  /** X's weighted length so far. */
  weight = 0;
  readonly urls: UrlEntity[] = [];
  readonly mentions: MentionEntity[] = [];
  readonly hashtags: TagEntity[] = [];

  get position(): number {
    return this.length;
  }

  get text(): string {
    return this.parts.join("");
  }

  /** Last character written (for spacing decisions). */
  get last(): string {
    const p = this.parts[this.parts.length - 1];
    return p ? (Array.from(p).at(-1) ?? "") : "";
  }

  add(s: string): this {
    if (s) {
      this.parts.push(s);
      this.length += codePointLength(s);
      this.weight += weightedLength(s);
    }
    return this;
  }

  /** Adds a space unless the text is empty or already ends in whitespace. */
  space(): this {
    if (this.length > 0 && !/\s$/.test(this.last)) this.add(" ");
    return this;
  }

  mention(username: string, id: string): this {
    const start = this.length;
    this.add(`@${username}`);
    this.mentions.push({ start, end: this.length, username, id });
    return this;
  }

  hashtag(tag: string): this {
    const start = this.length;
    this.add(`#${tag}`);
    this.hashtags.push({ start, end: this.length, tag });
    return this;
  }

  url(entity: Omit<UrlEntity, "start" | "end">): this {
    const start = this.length;
    this.add(entity.url);
    this.urls.push({ start, end: this.length, ...entity });
    return this;
  }

  entities(): PostEntities {
    const e: PostEntities = {};
    if (this.urls.length) e.urls = this.urls.map((u) => ({ ...u }));
    if (this.mentions.length) e.mentions = this.mentions.map((m) => ({ ...m }));
    if (this.hashtags.length) e.hashtags = this.hashtags.map((h) => ({ ...h }));
    return e;
  }
}

/** Entities that lie entirely within the first `limit` code points. */
export function entitiesWithin(e: PostEntities, limit: number): PostEntities {
  const out: PostEntities = {};
  const urls = e.urls?.filter((x) => x.end <= limit);
  const mentions = e.mentions?.filter((x) => x.end <= limit);
  const hashtags = e.hashtags?.filter((x) => x.end <= limit);
  if (urls?.length) out.urls = urls;
  if (mentions?.length) out.mentions = mentions;
  if (hashtags?.length) out.hashtags = hashtags;
  return out;
}
