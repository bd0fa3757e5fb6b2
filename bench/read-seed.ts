/**
 * Seeds the read benchmark's database (bench/read.ts) fast, with set-based SQL:
 *
 * - 5,000 X authors (COPY), 40% writing Japanese, posts spread over them by a skewed (Zipf-like)
 *   distribution, so a few authors are common and most are rare;
 * - 300,000 posts (COPY): text built in this process from a neutral word pool (the X sandbox's
 *   corpus, with the benchmark's query words filtered out) plus "target" sentences inserted at
 *   fixed rates, so each query word matches a known share of rows (see TARGETS);
 * - 1,000 users: one heavy user with 100,000 bookmarks, 50 tags and 6 categories; 999 others
 *   sharing 900,000 bookmarks (about 900 each, 10 tags each). Bookmarks are made by
 *   INSERT … SELECT generate_series joined to the posts (the read model's copies of post text
 *   and author come from the joined rows), two statements at a time (this machine has 2 cores).
 *
 * Speed trade-offs, none of which changes the final state: the Bookmark table's secondary
 * indexes are dropped before loading and rebuilt from their own definitions afterwards (a bulk
 * build is much faster than 1M incremental GIN inserts), and foreign-key triggers are skipped
 * while loading (session_replication_role = replica; every reference is valid by construction).
 * Ends with VACUUM ANALYZE and a CHECKPOINT, so the load's dirty pages are not written out
 * during the measurements.
 */
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { AUTHOR_SEEDS, CORPUS, TOPICS, type LangCorpus } from "../sandbox/corpus";

/**
 * BENCH_READ_SCALE (0.005–1, default 1) shrinks the data set in proportion, for a quick run on a
 * small machine (e.g. 0.01: 10,000 bookmarks, 1,000 for the heavy user). Figures from a scaled
 * run are not comparable with the full one's targets.
 */
export const SEED_SCALE = (() => {
  const v = Number(process.env.BENCH_READ_SCALE ?? "1");
  if (!Number.isFinite(v) || v < 0.005 || v > 1) throw new Error("BENCH_READ_SCALE must be a number from 0.005 to 1");
  return v;
})();
const scaled = (n: number, min: number) => Math.max(min, Math.round(n * SEED_SCALE));

export const SEED = {
  users: scaled(1_000, 5),
  heavyBookmarks: scaled(100_000, 500),
  totalBookmarks: scaled(1_000_000, 5_000),
  posts: scaled(300_000, 1_500),
  authors: scaled(5_000, 100),
  heavyTags: 50,
  otherTagsPerUser: 10,
  heavyCategories: 6,
} as const;

/** The query words and the share of posts (of that language) that get a sentence holding them. */
export const TARGETS = {
  /** Japanese 4-character word: 2.5% of Japanese posts = ~1% of all rows. */
  ja4: { word: "機械学習", rate: 0.025 },
  /** Japanese 2-character word: in every 機械学習 post, and another 1.5% of Japanese posts. */
  ja2: { word: "学習", rate: 0.015 },
  /** Japanese 1-character word: 2% of Japanese posts = ~0.8% of all rows. */
  ja1: { word: "猫", rate: 0.02 },
  /** English word: 1.7% of English posts = ~1% of all rows. */
  en: { word: "database", rate: 0.017 },
} as const;
const JA_SHARE = 0.4;
const MEDIA_SHARE = 0.3;

const TARGET_SENTENCES = {
  ja4: [
    "機械学習の勉強会に参加してきた。",
    "社内の機械学習基盤を作り直した話をまとめました。",
    "機械学習モデルの評価を自動化できたのが一番の収穫です。",
    "機械学習エンジニアの面接で前処理の話ばかりしていた。",
    "機械学習の入門書を三冊読み比べてみた。",
  ],
  ja2: [
    "深層学習の論文を読んだけど、まだ半分も分かっていない。",
    "学習データの前処理で一日が終わった。",
    "語学学習のアプリを毎日続けている。",
    "強化学習の本を買った。",
    "オンライン学習のコースを修了した。",
  ],
  ja1: ["猫が膝の上で寝ていて動けない。", "近所の猫に挨拶するのが朝の日課。", "実家の猫の写真が送られてきた。", "猫と一緒に昼寝した。"],
  en: [
    "Migrated our database today with zero downtime.",
    "Hot take: most database problems are really data modelling problems in disguise.",
    "Spent the afternoon tuning database indexes and the p95 finally looks sane.",
    "Our databases finally have tested backups.",
    "Reading a great book on database internals this week.",
  ],
} as const;

const TAG_NAMES = [
  "TypeScript",
  "Rust",
  "Go",
  "Python",
  "読書",
  "ラーメン",
  "旅行",
  "設計",
  "データ",
  "論文",
  "AI",
  "フロントエンド",
  "インフラ",
  "セキュリティ",
  "DevOps",
  "カフェ",
  "東京",
  "写真",
  "レシピ",
  "あとで読む",
  "ニュース",
  "キャリア",
  "英語",
  "数学",
  "統計",
  "React",
  "Next.js",
  "Postgres",
  "Redis",
  "Kubernetes",
  "OSS",
  "個人開発",
  "登壇",
  "勉強会",
  "ポッドキャスト",
  "動画",
  "デザイン",
  "UX",
  "アクセシビリティ",
  "テスト",
  "パフォーマンス",
  "ゲーム",
  "音楽",
  "映画",
  "料理",
  "健康",
  "お金",
  "子育て",
  "趣味",
  "その他",
];
const CATEGORY_NAMES = ["Work", "仕事", "Reading list", "Later", "Reference", "Fun"];
const COLORS = ["#ef4444", "#f59e0b", "#10b981", "#3b82f6", "#8b5cf6", "#ec4899"];

/** mulberry32: a small, fast, seeded PRNG (the seed data is the same on every run). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const userId = (u: number) => `cbench${String(u).padStart(19, "0")}`;
export const HEAVY_USER = userId(0);
/** X-like numeric post ids, computable in SQL too: see postIdSql. */
const postId = (seq: number) => String(1_700_000_000_000_000_000n + BigInt(seq) * 1009n);
const postIdSql = (seqExpr: string) => `(1700000000000000000 + (${seqExpr})::bigint * 1009)::text`;
export const authorUsername = (i: number) => `${AUTHOR_SEEDS[i % AUTHOR_SEEDS.length]![1]}${i < AUTHOR_SEEDS.length ? "" : `_${i}`}`;
/** 40% of authors write Japanese: those with i % 5 < 2. */
const authorIsJa = (i: number) => i % 5 < 2;

const FORBIDDEN = /機械学習|学習|猫|database/i;

/** Every sentence of a language's corpus with its {placeholders} filled, `count` variants, none holding a query word. */
function neutralPool(c: LangCorpus, rand: () => number, count: number): string[] {
  const templates = [...TOPICS.flatMap((t) => c.sentences[t]), ...c.longSentences, ...c.quoteLines, ...c.replyLines, ...c.mentionLines];
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const out: string[] = [];
  for (let tries = 0; out.length < count && tries < count * 20; tries++) {
    const s = pick(templates)
      .replace(/\{@\}/g, () => `@${authorUsername(Math.floor(rand() * 200))}`)
      .replace(/\{(\w+)\}/g, (_m, k: string) => pick(c.fills[k] ?? [k]));
    if (!FORBIDDEN.test(s)) out.push(s);
  }
  return out;
}

function copyEscape(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (ch) => (ch === "\\" ? "\\\\" : ch === "\t" ? "\\t" : ch === "\n" ? "\\n" : "\\r"));
}

/** A COPY text field: \\N for null. */
const copyNullable = (s: string | null) => (s === null ? "\\N" : copyEscape(s));

async function copyRows(client: pg.Client, sql: string, rows: Iterable<string>) {
  async function* chunks() {
    let buf: string[] = [];
    for (const r of rows) {
      buf.push(r);
      if (buf.length >= 5_000) {
        yield buf.join("");
        buf = [];
      }
    }
    if (buf.length) yield buf.join("");
  }
  await pipeline(Readable.from(chunks()), client.query(copyFrom(sql)));
}

export interface SeedReport {
  seconds: number;
  phases: Record<string, number>;
  heavyUserId: string;
}

/**
 * Fills an empty, migrated database. `log` gets progress lines. Returns the time taken, by phase.
 * `onlyHeavyUser`: just the heavy user's 100,000 bookmarks (the browser bench, bench/list.ts,
 * opens one library; the other users' 900,000 would only make the seed slower).
 */
export async function seedReadBench(dbUrl: string, log: (m: string) => void, opts: { onlyHeavyUser?: boolean } = {}): Promise<SeedReport> {
  const started = performance.now();
  const phases: Record<string, number> = {};
  let mark = performance.now();
  const phase = (name: string) => {
    const now = performance.now();
    phases[name] = Number(((now - mark) / 1000).toFixed(2));
    mark = now;
    log(`  seed: ${name} ${phases[name]} s`);
  };
  const connect = async () => {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    await c.query(
      `SET synchronous_commit = off; SET session_replication_role = replica; SET maintenance_work_mem = '512MB'; SET work_mem = '64MB'`,
    );
    return c;
  };
  const [a, b] = await Promise.all([connect(), connect()]);
  try {
    const rand = prng(20261124);

    // --- users, tags, categories ---
    await a.query(
      `INSERT INTO "User" (id, name, handle, "updatedAt")
       SELECT 'cbench' || lpad(u::text, 19, '0'), 'Bench user ' || u, 'bench_user_' || u, now() FROM generate_series(0, $1::int - 1) u`,
      [SEED.users],
    );
    const tagRows = TAG_NAMES.slice(0, SEED.heavyTags).map((name, i) => [i + 1, HEAVY_USER, name, name.normalize("NFKC").toLowerCase()]);
    await a.query(`INSERT INTO "Tag" (id, "userId", name, key) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[])`, [
      tagRows.map((r) => r[0]),
      tagRows.map((r) => r[1]),
      tagRows.map((r) => r[2]),
      tagRows.map((r) => r[3]),
    ]);
    // Every other user: 10 tags, ids 50 + (u - 1) * 10 + 1..10.
    await a.query(
      `INSERT INTO "Tag" (id, "userId", name, key)
       SELECT $1::int + (u - 1) * $2::int + j, 'cbench' || lpad(u::text, 19, '0'), n, lower(n)
       FROM generate_series(1, $3::int - 1) u, generate_series(1, $2::int) j, LATERAL (SELECT (ARRAY['reading','work','later','ml','food','travel','tools','news','fun','misc'])[j] AS n) x`,
      [SEED.heavyTags, SEED.otherTagsPerUser, SEED.users],
    );
    await a.query(
      `INSERT INTO "Category" (id, "userId", name, key, color) SELECT * FROM unnest($1::int[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [
        CATEGORY_NAMES.map((_, i) => i + 1),
        CATEGORY_NAMES.map(() => HEAVY_USER),
        CATEGORY_NAMES,
        CATEGORY_NAMES.map((n) => n.toLowerCase()),
        COLORS,
      ],
    );
    await a.query(`SELECT setval(pg_get_serial_sequence('"Tag"', 'id'), (SELECT max(id) FROM "Tag"));
      SELECT setval(pg_get_serial_sequence('"Category"', 'id'), (SELECT max(id) FROM "Category"))`);
    phase("users, tags, categories");

    // --- authors ---
    await copyRows(
      a,
      `COPY "XAuthor" (id, username, name, "profileImageUrl", verified, raw) FROM STDIN`,
      (function* () {
        for (let i = 0; i < SEED.authors; i++) {
          const base = AUTHOR_SEEDS[i % AUTHOR_SEEDS.length]!;
          // Display names are searched too: keep the query words out of them ("機械学習メモ").
          const name = (i < AUTHOR_SEEDS.length ? base[0] : `${base[0]} ${i}`).replace(/機械学習|学習/g, "AI");
          yield `${2_000_000 + i}\t${authorUsername(i)}\t${copyEscape(name)}\thttps://pbs.twimg.com/profile_images/${i}/avatar_normal.jpg\t${base[4] !== "none" ? "t" : "f"}\t{}\n`;
        }
      })(),
    );
    phase("authors");

    // --- posts ---
    const pools = { ja: neutralPool(CORPUS.ja, rand, 4_000), en: neutralPool(CORPUS.en, rand, 4_000) };
    const hashtags = {
      ja: TOPICS.flatMap((t) => CORPUS.ja.hashtags[t]).filter((h) => !FORBIDDEN.test(h)),
      en: TOPICS.flatMap((t) => CORPUS.en.hashtags[t]).filter((h) => !FORBIDDEN.test(h)),
    };
    const jaAuthors = [...Array(SEED.authors).keys()].filter(authorIsJa);
    const enAuthors = [...Array(SEED.authors).keys()].filter((i) => !authorIsJa(i));
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
    // Skewed: index floor(n * r^3) makes the first few authors common and the tail rare.
    const skewed = (xs: readonly number[]) => xs[Math.floor(xs.length * rand() ** 3)]!;
    const now = Date.UTC(2026, 10, 20);
    await copyRows(
      a,
      `COPY "Post" (id, "authorId", text, "postedAt", lang, entities, metrics, media, raw) FROM STDIN`,
      (function* () {
        for (let seq = 0; seq < SEED.posts; seq++) {
          const ja = rand() < JA_SHARE;
          const lang = ja ? "ja" : "en";
          const author = skewed(ja ? jaAuthors : enAuthors);
          const parts: string[] = [];
          const n = rand() < 0.5 ? 1 : rand() < 0.7 ? 2 : 3;
          for (let i = 0; i < n; i++) parts.push(pick(pools[lang]));
          const insert = (s: string) => parts.splice(Math.floor(rand() * (parts.length + 1)), 0, s);
          if (ja) {
            if (rand() < TARGETS.ja4.rate) insert(pick(TARGET_SENTENCES.ja4));
            if (rand() < TARGETS.ja2.rate) insert(pick(TARGET_SENTENCES.ja2));
            if (rand() < TARGETS.ja1.rate) insert(pick(TARGET_SENTENCES.ja1));
          } else if (rand() < TARGETS.en.rate) insert(pick(TARGET_SENTENCES.en));
          let text = parts.join(ja ? "" : " ");
          const tags: string[] = [];
          if (rand() < 0.2) {
            tags.push(pick(hashtags[lang]));
            text += `${ja ? "\n" : " "}#${tags[0]}`;
          }
          if (rand() < 0.15) text += ` ${pick(CORPUS[lang].emoji)}`;
          let entities: string | null = null;
          if (rand() < 0.1) {
            const slug = `https://t.co/${seq.toString(36).padStart(10, "x")}`;
            const start = Array.from(text).length + 1;
            text += ` ${slug}`;
            entities = JSON.stringify({
              urls: [
                {
                  start,
                  end: start + slug.length,
                  url: slug,
                  expanded_url: `https://example.com/${seq}`,
                  display_url: `example.com/${seq}`,
                },
              ],
            });
          } else if (tags.length) {
            const end = Array.from(text).length;
            entities = JSON.stringify({ hashtags: [{ start: end - Array.from(tags[0]!).length - 1, end, tag: tags[0] }] });
          }
          const postedAt = new Date(now - Math.floor(rand() * 3 * 365 * 86_400_000)).toISOString().replace("Z", "");
          const metrics = JSON.stringify({
            like_count: Math.floor(rand() ** 4 * 5000),
            retweet_count: Math.floor(rand() ** 4 * 800),
            reply_count: Math.floor(rand() ** 4 * 200),
            quote_count: Math.floor(rand() ** 5 * 50),
            bookmark_count: Math.floor(rand() ** 4 * 900),
            impression_count: Math.floor(rand() ** 3 * 200_000),
          });
          let media: string | null = null;
          if (rand() < MEDIA_SHARE) {
            const items = Array.from({ length: rand() < 0.8 ? 1 : 1 + Math.floor(rand() * 3) }, (_, m) => {
              const key = `3_${seq}${m}`;
              const video = rand() < 0.15;
              return {
                key,
                type: video ? "video" : "photo",
                url: video ? null : `https://pbs.twimg.com/media/${key}.jpg`,
                previewUrl: `https://pbs.twimg.com/media/${key}.jpg`,
                width: 1200,
                height: 800,
                altText: rand() < 0.2 ? pick(CORPUS[lang].altTexts) : null,
                durationMs: video ? 15_000 : null,
                videoUrl: video ? `https://video.twimg.com/ext_tw_video/${key}/vid/720x480/a.mp4` : null,
              };
            });
            media = JSON.stringify(items);
          }
          // The post object as X returns it (what a sync stores as `raw`): its size and shape give
          // the payload compression ratio bench:read prints.
          const id = postId(seq);
          const raw = JSON.stringify({
            id,
            text,
            author_id: String(2_000_000 + author),
            created_at: `${postedAt}Z`,
            lang,
            conversation_id: id,
            edit_history_tweet_ids: [id],
            possibly_sensitive: false,
            reply_settings: "everyone",
            public_metrics: JSON.parse(metrics) as unknown,
            ...(entities && { entities: JSON.parse(entities) as unknown }),
            ...(media && { attachments: { media_keys: (JSON.parse(media) as { key: string }[]).map((m) => m.key) } }),
          });
          yield `${id}\t${2_000_000 + author}\t${copyEscape(text)}\t${postedAt}\t${lang}\t${copyNullable(entities)}\t${metrics}\t${copyNullable(media)}\t${copyEscape(raw)}\n`;
        }
      })(),
    );
    phase("posts");

    // --- bookmarks: secondary indexes off, two INSERT … SELECT at a time, indexes rebuilt ---
    const { rows: indexes } = await a.query<{ name: string; def: string }>(
      `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
       WHERE x.indrelid = '"Bookmark"'::regclass AND NOT x.indisprimary
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)`,
    );
    for (const ix of indexes) await a.query(`DROP INDEX "${ix.name}"`);

    const columns = `"userId", "postId", "sortKey", "firstSeenAt", "lastSeenAt", "removedOnXAt", "deletedAt", note, favorite,
      "categoryId", "tagIds", "tagText", "postText", "postedAt", lang, "hasMedia", "authorId", "authorName", "authorUsername"`;
    // The copies of the post and its author, as a sync writes them (X's escaping undone: none here).
    const postCopies = `p.text, p."postedAt", p.lang, coalesce(jsonb_array_length(p.media) > 0, false), a.id, a.name, a.username`;
    const tagText = `(SELECT coalesce(string_agg(t.name, ' ' ORDER BY t.key), '') FROM "Tag" t WHERE t.id = ANY(tg.ids))`;
    const heavy = `INSERT INTO "Bookmark" (${columns})
      SELECT '${HEAVY_USER}', p.id, 1000000000 - s.pos,
        now() - make_interval(mins => s.pos::int), now(),
        CASE WHEN s.r1 < 0.01 THEN now() END, CASE WHEN s.r1 > 0.997 THEN now() END,
        CASE WHEN s.r2 < 0.03 THEN (CASE WHEN p.lang = 'ja' THEN 'あとで試す。' ELSE 'Try this at work.' END) ELSE '' END,
        s.r2 > 0.95, CASE WHEN s.r3 < 0.4 THEN 1 + floor(s.r3 * 15)::int END,
        tg.ids, ${tagText}, ${postCopies}
      FROM (SELECT g, (g::bigint * 7919) % ${SEED.heavyBookmarks} AS pos, random() AS r1, random() AS r2, random() AS r3, random() AS rt
            FROM generate_series(0, ${SEED.heavyBookmarks - 1}) g) s
      JOIN "Post" p ON p.id = ${postIdSql("s.g")}
      JOIN "XAuthor" a ON a.id = p."authorId",
      LATERAL (SELECT coalesce(array_agg(DISTINCT x ORDER BY x), '{}') AS ids
               FROM (SELECT 1 + floor(${SEED.heavyTags} * random() ^ 2)::int AS x
                     FROM generate_series(1, CASE WHEN s.rt < 0.4 THEN 0 WHEN s.rt < 0.75 THEN 1 WHEN s.rt < 0.93 THEN 2 ELSE 3 END)) q) tg`;
    const others = SEED.users - 1;
    const othersTotal = SEED.totalBookmarks - SEED.heavyBookmarks;
    // User u (1..999) gets bookmarks k = 0, 1, …; its k-th post is (u·7919 + k·331) mod posts, distinct for k < 906.
    const other = (lo: number, hi: number) => `INSERT INTO "Bookmark" (${columns})
      SELECT 'cbench' || lpad(s.u::text, 19, '0'), p.id, 1000000000 - s.k,
        now() - make_interval(mins => s.k::int), now(),
        CASE WHEN s.r1 < 0.01 THEN now() END, CASE WHEN s.r1 > 0.997 THEN now() END,
        '', s.r2 > 0.95, NULL, tg.ids, ${tagText}, ${postCopies}
      FROM (SELECT g, g % ${others} + 1 AS u, g / ${others} AS k, random() AS r1, random() AS r2
            FROM generate_series(${lo}, ${hi}) g) s
      JOIN "Post" p ON p.id = ${postIdSql(`(s.u::bigint * 7919 + s.k::bigint * 331) % ${SEED.posts}`)}
      JOIN "XAuthor" a ON a.id = p."authorId",
      LATERAL (SELECT CASE WHEN s.r2 < 0.3 THEN ARRAY[${SEED.heavyTags} + (s.u - 1) * ${SEED.otherTagsPerUser} + 1 + floor(s.r2 * 33)::int]
                           ELSE '{}'::int[] END AS ids) tg`;
    const third = Math.ceil(othersTotal / 3);
    const jobs = opts.onlyHeavyUser
      ? [heavy]
      : [heavy, other(0, third - 1), other(third, 2 * third - 1), other(2 * third, othersTotal - 1)];
    // Each job seeds random() first, so the same rows come out on every run.
    await runTwoAtATime(
      [a, b],
      jobs.map((sql, i) => (c: pg.Client) => c.query(`SELECT setseed(${(i + 1) / 10}); ${sql}`).then(() => undefined)),
    );
    phase(
      `bookmarks (${(opts.onlyHeavyUser ? SEED.heavyBookmarks : SEED.totalBookmarks).toLocaleString("en")} rows, generated search columns)`,
    );

    // Rebuild the dropped indexes, slowest (the trigram GIN) first, two at a time.
    const weight = (def: string) => (def.includes("gin_trgm_ops") ? 0 : def.includes("USING gin") ? 1 : 2);
    const ordered = [...indexes].sort((x, y) => weight(x.def) - weight(y.def));
    await runTwoAtATime(
      [a, b],
      ordered.map((ix) => (c: pg.Client) => c.query(ix.def).then(() => undefined)),
    );
    phase(`indexes rebuilt (${indexes.map((i) => i.name).join(", ")})`);

    await a.query(`SELECT setval(pg_get_serial_sequence('"Bookmark"', 'id'), (SELECT max(id) FROM "Bookmark"))`);
    await runTwoAtATime(
      [a, b],
      [
        `VACUUM (ANALYZE) "Bookmark"`,
        `VACUUM (ANALYZE) "Post"`,
        `VACUUM (ANALYZE) "XAuthor"`,
        `VACUUM (ANALYZE) "Tag"`,
        `VACUUM (ANALYZE) "Category"`,
        `VACUUM (ANALYZE) "User"`,
      ].map((sql) => (c: pg.Client) => c.query(sql).then(() => undefined)),
    );
    // Write the load's dirty pages out now, not during the measurements.
    await a.query("CHECKPOINT");
    phase("VACUUM ANALYZE, CHECKPOINT");
  } finally {
    await Promise.allSettled([a.end(), b.end()]);
  }
  return { seconds: Number(((performance.now() - started) / 1000).toFixed(1)), phases, heavyUserId: HEAVY_USER };
}

/** Runs jobs over the given connections, each connection taking the next job when it is free. */
async function runTwoAtATime(clients: pg.Client[], jobs: ((c: pg.Client) => Promise<void>)[]) {
  let next = 0;
  await Promise.all(
    clients.map(async (c) => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        await job(c);
      }
    }),
  );
}
