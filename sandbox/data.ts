/**
 * The seeded generator: a pool of ~60 authors, ~1,200 shared posts over two years, the default
 * test accounts and their bookmark lists, and fresh posts for accounts made later. Same seed,
 * same data (post ids included); only posts made "now" depend on the clock.
 */
import { AUTHOR_SEEDS, CORPUS, TOPICS, type LangCorpus, type LinkTemplate, type Topic } from "./corpus";
import { IdAllocator, isoSeconds } from "./ids";
import { Rng } from "./random";
import { codePointLength, codePointsWithin, entitiesWithin, TextBuilder, weightedLength } from "./text";
import type { MediaType, SandboxMedia, SandboxPost, SandboxUser, UrlEntity } from "./types";

/** The generated posts span the two years before this moment (fixed, so ids are reproducible). */
export const DATA_END_MS = Date.UTC(2026, 10, 1);
export const DATA_SPAN_MS = 2 * 365 * 86_400_000;
const POOL_SIZE = 1200;
const DAY = 86_400_000;

export interface SeededAccount {
  id: string;
  username: string;
  name: string;
  bookmarks: number;
  description: string;
  /** Preference when picking bookmarks from the shared pool. */
  prefer?: { lang?: "ja" | "en"; topic?: Topic };
  createdAt: string;
}

/** The default test accounts. Their ids never depend on the seed. */
export const SEEDED_ACCOUNTS: readonly SeededAccount[] = [
  {
    id: "1354820317520019456",
    username: "demo",
    name: "Demo User",
    bookmarks: 800,
    description: "The X sandbox's demo account: 800 bookmarks in Japanese and English.",
    createdAt: "2021-01-28T15:04:11.000Z",
  },
  {
    id: "1418034523608670208",
    username: "hana_dev",
    name: "山口 はな",
    bookmarks: 120,
    description: "東京のWebエンジニア。機械学習とラーメンが好き。(sandbox test account)",
    prefer: { lang: "ja" },
    createdAt: "2021-07-22T01:30:42.000Z",
  },
  {
    id: "1580329971446398976",
    username: "sam_reads",
    name: "Sam Reed",
    bookmarks: 40,
    description: "Reader, occasional coder. (sandbox test account)",
    prefer: { lang: "en", topic: "books" },
    createdAt: "2022-10-12T23:55:03.000Z",
  },
  {
    id: "1690211427335397376",
    username: "empty_user",
    name: "Empty User",
    bookmarks: 0,
    description: "No bookmarks yet. (sandbox test account)",
    createdAt: "2023-08-12T03:17:40.000Z",
  },
];

/** Where the generator puts what it makes (the store's maps). */
export interface DataSink {
  users: Map<string, SandboxUser>;
  posts: Map<string, SandboxPost>;
  media: Map<string, SandboxMedia>;
}

const PHOTO_SIZES: readonly [number, number][] = [
  [1200, 675],
  [1080, 1350],
  [2048, 1536],
  [1536, 2048],
  [1920, 1080],
  [1080, 1080],
];
const VIDEO_SIZES: readonly [number, number][] = [
  [1280, 720],
  [720, 1280],
  [1920, 1080],
];
const SOURCES = ["Twitter for iPhone", "Twitter Web App", "Twitter for Android", "Twitter for iPad"];

interface AuthorInfo {
  user: SandboxUser;
  lang: "ja" | "en";
  topic: Topic;
}

export class DataGenerator {
  readonly ids = new IdAllocator();
  private authors: AuthorInfo[] = [];
  private authorsByLang: Record<"ja" | "en", AuthorInfo[]> = { ja: [], en: [] };
  private authorTopics = new Map<string, Topic>();
  /** Shared posts, oldest first. */
  private pool: SandboxPost[] = [];
  private nowRng: Rng;

  constructor(
    private readonly seed: number,
    private readonly sink: DataSink,
  ) {
    this.nowRng = new Rng(`${seed}:now`);
    for (const a of SEEDED_ACCOUNTS) this.ids.reserve(a.id);
    this.buildAuthors();
    this.buildPool();
  }

  get poolPosts(): readonly SandboxPost[] {
    return this.pool;
  }

  // ---- authors ---------------------------------------------------------------------------

  private buildAuthors(): void {
    const rng = new Rng(`${this.seed}:authors`);
    const seeds = AUTHOR_SEEDS;
    // Creation times spread over 2008-2023; older accounts get short numeric ids, like X's.
    const times = seeds.map(() => Date.UTC(2008, 0, 1) + rng.next() * (Date.UTC(2023, 6, 1) - Date.UTC(2008, 0, 1))).sort((a, b) => a - b);
    const order = rng.sample(
      seeds.map((_, i) => i),
      seeds.length,
    );
    order.forEach((seedIndex, k) => {
      const [name, username, lang, topic, verifiedType] = seeds[seedIndex]!;
      const ms = times[k]!;
      let id: string;
      if (ms < Date.UTC(2013, 0, 1)) {
        const frac = (ms - Date.UTC(2008, 0, 1)) / (Date.UTC(2013, 0, 1) - Date.UTC(2008, 0, 1));
        id = String(14_000_000 + Math.floor(frac * 1_000_000_000) + rng.int(0, 99_999));
        this.ids.reserve(id);
      } else {
        id = this.ids.at(ms, rng);
      }
      const c = CORPUS[lang];
      const big = verifiedType !== "none";
      const followers = big ? 20_000 + rng.metric(40_000) : 80 + rng.metric(900);
      const user: SandboxUser = {
        id,
        username,
        name,
        createdAt: isoSeconds(ms),
        description: fill(rng.pick(c.bios[topic]), c, rng),
        ...(rng.chance(0.65) && { location: rng.pick(c.locations) }),
        ...(rng.chance(0.35) && {
          url: {
            url: `https://t.co/${rng.chars(10)}`,
            expanded_url: `https://${username.replace(/_/g, "-")}.example.com/`,
            display_url: `${username.replace(/_/g, "-")}.example.com`,
          },
        }),
        verified: verifiedType !== "none",
        verifiedType,
        metrics: {
          followers_count: Math.min(followers, 3_000_000),
          following_count: 50 + rng.int(0, 1500),
          tweet_count: 300 + rng.metric(4000),
          listed_count: rng.int(0, 40) + Math.floor(followers / 500),
          like_count: 500 + rng.metric(8000),
          media_count: 20 + rng.int(0, 2000),
        },
        account: false,
      };
      this.sink.users.set(id, user);
      const info = { user, lang, topic };
      this.authors.push(info);
      this.authorsByLang[lang].push(info);
      this.authorTopics.set(id, topic);
    });
  }

  // ---- the shared pool -------------------------------------------------------------------

  private buildPool(): void {
    const rng = new Rng(`${this.seed}:pool`);
    const start = DATA_END_MS - DATA_SPAN_MS;
    const times = Array.from({ length: POOL_SIZE }, () => start + rng.next() * DATA_SPAN_MS).sort((a, b) => a - b);
    for (const ms of times) {
      const post = this.makePost(rng, ms);
      this.pool.push(post);
    }
  }

  /** Creates one post at `ms` and stores it (with its media). */
  makePost(rng: Rng, ms: number, opts: { newest?: boolean } = {}): SandboxPost {
    const lang: "ja" | "en" = rng.chance(0.5) ? "ja" : "en";
    let author = this.pickAuthor(rng, lang);
    const topic: Topic = rng.chance(0.65) ? author.topic : rng.pick(TOPICS);
    const c = CORPUS[lang];
    const id = opts.newest ? this.ids.newest(ms, this.nowRng) : this.ids.at(ms, rng);
    const b = new TextBuilder();
    const sep = lang === "ja" ? "" : " ";
    let referenced: SandboxPost["referenced"];
    let inReplyToUserId: string | undefined;
    let conversationId = id;
    let displayStart = 0;

    const older = this.olderPoolPost(rng, ms);
    const kind: "reply" | "quote" | "long" | "plain" = older
      ? rng.weighted<"reply" | "quote" | "long" | "plain">([
          ["reply", 6],
          ["quote", 7],
          ["long", 3],
          ["plain", 84],
        ])
      : rng.chance(0.03)
        ? "long"
        : "plain";
    const hasMedia = kind !== "long" && rng.chance(0.4);

    if (kind === "reply" && older) {
      const parentAuthor = this.sink.users.get(older.authorId)!;
      // Someone else answers (a reply to oneself would be a thread, not modelled here).
      for (let i = 0; i < 5 && author.user.id === parentAuthor.id; i++) author = this.pickAuthor(rng, lang);
      b.mention(parentAuthor.username, parentAuthor.id).add(" ");
      displayStart = b.position;
      b.add(rng.pick(c.replyLines));
      if (rng.chance(0.5)) b.add(sep).add(fill(rng.pick(c.sentences[topic]), c, rng));
      referenced = [{ type: "replied_to", id: older.id }];
      inReplyToUserId = parentAuthor.id;
      conversationId = older.conversationId;
    } else if (kind === "long") {
      const n = rng.int(5, c.longSentences.length);
      c.longSentences.slice(0, n).forEach((s, i) => b.add(i === 0 ? "" : lang === "ja" ? "" : " ").add(s));
      this.addHashtags(b, rng, rng.sample(c.hashtags[topic], 1));
    } else {
      // Optional pieces are added only while the post stays within X's 280 (weighted) limit,
      // keeping room for the trailing media link.
      const budget = 280 - (hasMedia ? 24 : 0);
      const fits = (s: string) => b.weight + weightedLength(s) <= budget;
      const maybe = (p: number, piece: string, add: () => void) => {
        if (rng.chance(p) && fits(piece)) add();
      };
      if (kind === "quote" && older) {
        b.add(rng.pick(c.quoteLines));
        referenced = [{ type: "quoted", id: older.id }];
        const line = fill(rng.pick(c.sentences[topic]), c, rng);
        maybe(0.5, sep + line.replace("{@}", "@xxxxxxxxxxxxxxx"), () => this.addLine(b.add(sep), line, rng, author.user.id));
      } else {
        const [one, two] = rng.sample(c.sentences[topic], 2);
        this.addLine(b, fill(one!, c, rng), rng, author.user.id);
        const second = fill(two!, c, rng);
        maybe(0.2, sep + second.replace("{@}", "@xxxxxxxxxxxxxxx"), () => this.addLine(b.add(sep), second, rng, author.user.id));
        const mentionLine = fill(rng.pick(c.mentionLines), c, rng);
        maybe(0.15, sep + mentionLine.replace("{@}", "@xxxxxxxxxxxxxxx"), () => this.addLine(b.add(sep), mentionLine, rng, author.user.id));
      }
      const emoji = rng.pick(c.emoji);
      maybe(0.3, ` ${emoji}`, () => b.add(lang === "ja" ? "" : " ").add(emoji));
      if (kind !== "quote") {
        maybe(0.25, ` ${"x".repeat(23)}`, () => b.space().url(this.link(rng, c, topic)));
        const tags = rng.sample(c.hashtags[topic], rng.int(1, 2));
        maybe(0.35, `\n\n#${tags.join(" #")}`, () => this.addHashtags(b, rng, tags));
      }
    }

    // Attached media (~40% of posts, never on long posts), shown as a trailing t.co link.
    let mediaKeys: string[] | undefined;
    const displayEnd = b.position;
    if (hasMedia) {
      const media = this.makeMedia(rng, ms, c);
      for (const m of media) m.postId = id;
      mediaKeys = media.map((m) => m.key);
      const first = media[0]!;
      const code = rng.chars(10);
      b.space().url({
        url: `https://t.co/${code}`,
        expanded_url: `https://x.com/${author.user.username}/status/${id}/${first.type === "photo" ? "photo" : "video"}/1`,
        display_url: `pic.x.com/${code}`,
        media_key: first.key,
      });
    }

    const full = b.text;
    const fullEntities = b.entities();
    let text = full;
    let entities = fullEntities;
    let note: SandboxPost["note"];
    if (kind === "long") {
      // A long post: `text` holds the start (within 280 weighted), `note_tweet` the whole.
      const cut = codePointsWithin(full, 270);
      text = `${Array.from(full).slice(0, cut).join("").trimEnd()}…`;
      entities = entitiesWithin(fullEntities, cut);
      note = { text: full, entities: fullEntities };
    }

    const followers = author.user.metrics.followers_count;
    const like = rng.metric(Math.max(2, followers / 300));
    const post: SandboxPost = {
      id,
      authorId: author.user.id,
      text,
      createdMs: Math.floor(ms / 1000) * 1000,
      createdAt: isoSeconds(ms),
      lang,
      entities,
      displayTextRange: [displayStart, note ? codePointLength(text) : displayEnd],
      ...(mediaKeys && { mediaKeys }),
      metrics: {
        retweet_count: Math.floor(like * (0.05 + rng.next() * 0.25)),
        reply_count: Math.floor(like * (0.02 + rng.next() * 0.1)),
        like_count: like,
        quote_count: Math.floor(like * rng.next() * 0.04),
        bookmark_count: 1 + Math.floor(like * (0.05 + rng.next() * 0.3)),
        impression_count: like * rng.int(20, 90) + rng.int(50, 500),
      },
      conversationId,
      ...(inReplyToUserId && { inReplyToUserId }),
      ...(referenced && { referenced }),
      possiblySensitive: rng.chance(0.01),
      replySettings: rng.weighted<SandboxPost["replySettings"]>([
        ["everyone", 92],
        ["following", 5],
        ["mentionedUsers", 3],
      ]),
      source: rng.pick(SOURCES),
      ...(note && { note }),
      deleted: false,
    };
    this.sink.posts.set(id, post);
    return post;
  }

  /** A fresh post created now (id above all others), for bookmarks added through the control API. */
  makeNewestPost(ms: number): SandboxPost {
    return this.makePost(this.nowRng, ms, { newest: true });
  }

  private pickAuthor(rng: Rng, lang: "ja" | "en"): AuthorInfo {
    const list = this.authorsByLang[lang];
    // A few prolific authors write much more than the rest.
    const i = Math.floor(Math.pow(rng.next(), 1.6) * list.length);
    return list[Math.min(i, list.length - 1)]!;
  }

  private olderPoolPost(rng: Rng, ms: number): SandboxPost | undefined {
    // Pool posts are sorted by time: binary search for the last one before `ms`.
    let lo = 0;
    let hi = this.pool.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.pool[mid]!.createdMs < ms - 60_000) lo = mid + 1;
      else hi = mid;
    }
    if (lo === 0) return undefined;
    // Mostly recent ones: replies and quotes follow their originals closely.
    const back = Math.min(lo, 1 + Math.floor(Math.pow(rng.next(), 3) * 60));
    return this.pool[lo - back];
  }

  /** Adds a line that may contain `{@}`: a mention of another pool author. */
  private addLine(b: TextBuilder, line: string, rng: Rng, notId?: string): void {
    const parts = line.split("{@}");
    parts.forEach((part, i) => {
      if (i > 0) {
        let who = rng.pick(this.authors).user;
        if (who.id === notId) who = this.authors[(this.authors.findIndex((a) => a.user.id === who.id) + 1) % this.authors.length]!.user;
        b.mention(who.username, who.id);
      }
      b.add(part);
    });
  }

  private addHashtags(b: TextBuilder, rng: Rng, tags: string[]): void {
    b.add(rng.chance(0.4) ? "\n\n" : " ");
    tags.forEach((t, i) => {
      if (i > 0) b.add(" ");
      b.hashtag(t);
    });
  }

  private link(rng: Rng, c: LangCorpus, topic: Topic): Omit<UrlEntity, "start" | "end"> {
    const t: LinkTemplate = rng.pick(c.links[topic]);
    const user = rng.pick(this.authors).user.username.replace(/_/g, "-");
    const slug = rng.pick(c.slugs);
    const vars: Record<string, string> = {
      user,
      slug,
      hex: rng.chars(20, "0123456789abcdef"),
      num: String(rng.int(10_000_000, 99_999_999)),
    };
    const sub = (s: string) =>
      fill(
        s.replace(/\{(user|slug|hex|num)\}/g, (_, k: string) => vars[k]!),
        c,
        rng,
      );
    const expanded = sub(t.url);
    let display = expanded.replace(/^https?:\/\//, "").replace(/^www\./, "");
    if (display.length > 26) display = `${display.slice(0, 25)}…`;
    const entity: Omit<UrlEntity, "start" | "end"> = {
      url: `https://t.co/${rng.chars(10)}`,
      expanded_url: expanded,
      display_url: display,
    };
    if (rng.chance(0.7)) {
      entity.status = 200;
      entity.title = sub(t.title);
      entity.description = sub(t.description);
      entity.unwound_url = expanded;
      const images = linkImages(entity.url);
      if (images) entity.images = images;
    }
    return entity;
  }

  private makeMedia(rng: Rng, ms: number, c: LangCorpus): SandboxMedia[] {
    const type = rng.weighted<MediaType>([
      ["photo", 70],
      ["video", 20],
      ["animated_gif", 10],
    ]);
    const count =
      type === "photo"
        ? rng.weighted<number>([
            [1, 60],
            [2, 20],
            [3, 10],
            [4, 10],
          ])
        : 1;
    const out: SandboxMedia[] = [];
    for (let i = 0; i < count; i++) {
      const mid = this.ids.at(ms - rng.int(5_000, 600_000), rng);
      const key = `${type === "photo" ? 3 : type === "video" ? 7 : 16}_${mid}`;
      const [width, height] = rng.pick(type === "photo" ? PHOTO_SIZES : VIDEO_SIZES);
      const m: SandboxMedia = { key, type, width, height, imagePath: `/media/${key}.jpg` };
      if (rng.chance(0.3)) m.altText = rng.pick(c.altTexts);
      if (type === "video") {
        m.durationMs = rng.int(5, 180) * 1000 + rng.int(0, 999);
        const h = Math.min(width, height);
        m.variants = [
          { content_type: "application/x-mpegURL", path: `/media/${key}.m3u8` },
          { bit_rate: 256_000, content_type: "video/mp4", path: `/media/${key}-${Math.round((h * 270) / 720)}p.mp4` },
          { bit_rate: 832_000, content_type: "video/mp4", path: `/media/${key}-${Math.round((h * 480) / 720)}p.mp4` },
          { bit_rate: 2_176_000, content_type: "video/mp4", path: `/media/${key}-${h}p.mp4` },
        ];
      } else if (type === "animated_gif") {
        m.variants = [{ bit_rate: 0, content_type: "video/mp4", path: `/media/${key}.mp4` }];
      }
      this.sink.media.set(key, m);
      out.push(m);
    }
    return out;
  }

  // ---- accounts and bookmark lists -------------------------------------------------------

  /** The seeded account's user record. */
  accountUser(a: SeededAccount, order: number): SandboxUser {
    return {
      id: a.id,
      username: a.username,
      name: a.name,
      createdAt: a.createdAt,
      description: a.description,
      location: a.prefer?.lang === "ja" ? "東京" : "Localhost",
      verified: false,
      verifiedType: "none",
      metrics: { followers_count: 42, following_count: 180, tweet_count: 1234, listed_count: 1, like_count: 5678, media_count: 12 },
      account: true,
      accountOrder: order,
    };
  }

  /** A new account created through the control API. */
  newAccountUser(username: string, name: string, nowMs: number, order: number): SandboxUser {
    const id = this.ids.newest(nowMs, this.nowRng);
    return {
      id,
      username,
      name,
      createdAt: isoSeconds(nowMs),
      description: "Test account created through the X sandbox's control API.",
      verified: false,
      verifiedType: "none",
      metrics: { followers_count: 0, following_count: 0, tweet_count: 0, listed_count: 0, like_count: 0, media_count: 0 },
      account: true,
      accountOrder: order,
    };
  }

  /**
   * `count` posts for a new bookmark list, in bookmark order (oldest bookmark first). Part comes
   * from the shared pool (so accounts share posts); the rest are fresh posts made for it.
   */
  bookmarkPosts(key: string, count: number, prefer?: SeededAccount["prefer"], opts: { poolOnly?: boolean } = {}): string[] {
    if (count <= 0) return [];
    const rng = new Rng(`${this.seed}:bookmarks:${key}`);
    const fromPool = opts.poolOnly
      ? Math.min(count, this.pool.length)
      : Math.min(Math.round(count * 0.3), Math.floor(this.pool.length / 2));
    // Weighted sample without replacement (Efraimidis-Spirakis): a key per item, take the top.
    const weighted = this.pool.map((p) => {
      let w = 1;
      if (prefer?.lang && p.lang === prefer.lang) w *= 3;
      if (prefer?.topic && this.topicOf(p) === prefer.topic) w *= 2;
      return { p, k: Math.pow(Math.max(rng.next(), 1e-12), 1 / w) };
    });
    weighted.sort((a, b) => b.k - a.k);
    const chosen: SandboxPost[] = weighted.slice(0, fromPool).map((x) => x.p);
    const start = DATA_END_MS - DATA_SPAN_MS;
    for (let i = chosen.length; i < count; i++) chosen.push(this.makePost(rng, start + rng.next() * DATA_SPAN_MS));

    // People mostly bookmark recent posts, sometimes old ones: bookmark time = created + delay.
    const timed = chosen.map((p) => {
      const r = rng.next();
      const delay = r < 0.55 ? rng.next() * 2 * DAY : r < 0.85 ? (2 + rng.next() * 58) * DAY : (60 + rng.next() * 340) * DAY;
      return { id: p.id, at: Math.min(p.createdMs + delay, DATA_END_MS + rng.next() * DAY) };
    });
    timed.sort((a, b) => a.at - b.at);
    return timed.map((t) => t.id);
  }

  private topicOf(p: SandboxPost): Topic | undefined {
    return this.authorTopics.get(p.authorId);
  }
}

/**
 * Preview images of a link X could read, as X lists them (the full size and a small square), for
 * about half the links with a title. Drawn from the link's own t.co code, not the generator's
 * stream, so adding them changed none of the other seeded data.
 */
export function linkImages(tco: string): UrlEntity["images"] {
  const rng = new Rng(`link-image:${tco}`);
  if (!rng.chance(0.5)) return undefined;
  const id = rng.chars(19, "0123456789");
  const [width, height] = rng.pick(LINK_IMAGE_SIZES);
  const base = `https://pbs.twimg.com/news_img/${id}/${rng.chars(8)}?format=jpg`;
  return [
    { url: `${base}&name=orig`, width, height },
    { url: `${base}&name=150x150`, width: 150, height: 150 },
  ];
}
const LINK_IMAGE_SIZES: readonly [number, number][] = [
  [1200, 630],
  [1200, 675],
  [800, 418],
];

/** Replaces `{name}` with a random entry of `fills[name]`; leaves `{@}` for mentions. */
export function fill(template: string, c: LangCorpus, rng: Rng): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => {
    const options = c.fills[k];
    return options ? rng.pick(options) : m;
  });
}
