/**
 * The files a person brings from outside the API: X's data archive (a zip with
 * `data/bookmark.js`) and twitter-web-exporter's bookmark export (JSON array or CSV), both of
 * every bookmark of an account, newest first (X's order). Formats: ../shared/x-api/README.md,
 * "Beyond the 800 most recent".
 */
import type { Readable } from "node:stream";
import { stringify } from "csv-stringify/sync";
import { ZipFile } from "yazl";
import { avatarUrl } from "./fields";
import type { SandboxStore } from "./store";
import type { SandboxPost, SandboxUser } from "./types";

/** `window.YTD.<name>.part0 = <json>`, pretty-printed the way X's archive writes it. */
function ytd(name: string, value: unknown): string {
  return `window.YTD.${name}.part0 = ${JSON.stringify(value, null, 2).replace(/": /g, '" : ')}`;
}

/** A zip laid out like X's archive: data/manifest.js, data/account.js and data/bookmark.js. */
export function archiveZip(store: SandboxStore, user: SandboxUser): Readable {
  const ids = store.bookmarkList(user.id).newestFirst();
  const zip = new ZipFile();
  const manifest = {
    userInfo: { accountId: user.id, userName: user.username, displayName: user.name },
    archiveInfo: {
      sizeBytes: "0",
      generationDate: new Date(store.now()).toISOString(),
      isPartialArchive: false,
      maxPartSizeBytes: "53687091200",
    },
    dataTypes: { bookmark: { files: [{ fileName: "data/bookmark.js", globalName: "YTD.bookmark.part0", count: String(ids.length) }] } },
  };
  zip.addBuffer(Buffer.from(`window.__THAR_CONFIG = ${JSON.stringify(manifest, null, 2)}`), "data/manifest.js");
  zip.addBuffer(
    Buffer.from(
      ytd("account", [
        { account: { accountId: user.id, username: user.username, accountDisplayName: user.name, createdAt: user.createdAt } },
      ]),
    ),
    "data/account.js",
  );
  zip.addBuffer(
    Buffer.from(
      ytd(
        "bookmark",
        ids.map((tweetId) => ({ bookmark: { tweetId } })),
      ),
    ),
    "data/bookmark.js",
  );
  zip.addBuffer(Buffer.from("<!doctype html><title>Your archive</title>\n"), "Your archive.html");
  zip.end();
  return zip.outputStream as Readable;
}

/** `YYYY-MM-DD HH:mm:ss Z`, as twitter-web-exporter writes `created_at` (UTC here). */
function exporterTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace("T", " ")} +00:00`;
}

export interface ExporterRow {
  id: string;
  created_at: string;
  full_text: string;
  media: { type: string; url: string; thumbnail: string; original: string; ext_alt_text: string | null }[];
  screen_name: string;
  name: string;
  profile_image_url: string;
  user_id: string;
  in_reply_to: string | null;
  retweeted_status: string | null;
  quoted_status: string | null;
  media_tags: string[];
  favorite_count: number;
  retweet_count: number;
  bookmark_count: number;
  quote_count: number;
  reply_count: number;
  views_count: number;
  favorited: boolean;
  retweeted: boolean;
  bookmarked: boolean;
  url: string;
}

function exporterRow(store: SandboxStore, p: SandboxPost): ExporterRow | null {
  const author = store.users.get(p.authorId);
  if (!author) return null;
  const base = store.publicUrl;
  const url = `https://x.com/${author.username}/status/${p.id}`;
  const media = (p.mediaKeys ?? []).flatMap((key, i) => {
    const m = store.media.get(key);
    if (!m) return [];
    const image = base + m.imagePath;
    const best = [...(m.variants ?? [])]
      .filter((v) => v.content_type === "video/mp4")
      .sort((a, b) => (b.bit_rate ?? 0) - (a.bit_rate ?? 0))[0];
    return [
      {
        type: m.type,
        url: `${url}/${m.type === "photo" ? "photo" : "video"}/${i + 1}`,
        thumbnail: `${image}?name=thumb`,
        original: best ? base + best.path : `${image}?name=orig`,
        ext_alt_text: m.altText ?? null,
      },
    ];
  });
  return {
    id: p.id,
    created_at: exporterTime(p.createdMs),
    full_text: p.note?.text ?? p.text,
    media,
    screen_name: author.username,
    name: author.name,
    profile_image_url: avatarUrl(base, author),
    user_id: author.id,
    in_reply_to: p.referenced?.find((r) => r.type === "replied_to")?.id ?? null,
    retweeted_status: null,
    quoted_status: p.referenced?.find((r) => r.type === "quoted")?.id ?? null,
    media_tags: [],
    favorite_count: p.metrics.like_count,
    retweet_count: p.metrics.retweet_count,
    bookmark_count: p.metrics.bookmark_count,
    quote_count: p.metrics.quote_count,
    reply_count: p.metrics.reply_count,
    views_count: p.metrics.impression_count,
    favorited: false,
    retweeted: false,
    bookmarked: true,
    url,
  };
}

/** The account's bookmarks (posts still on X), newest first, as twitter-web-exporter rows. */
export function exporterRows(store: SandboxStore, user: SandboxUser): ExporterRow[] {
  return store
    .bookmarkList(user.id)
    .newestFirst()
    .flatMap((id) => {
      const p = store.posts.get(id);
      const row = p && !p.deleted ? exporterRow(store, p) : null;
      return row ? [row] : [];
    });
}

export const EXPORTER_COLUMNS: readonly (keyof ExporterRow)[] = [
  "id",
  "created_at",
  "full_text",
  "media",
  "screen_name",
  "name",
  "profile_image_url",
  "user_id",
  "in_reply_to",
  "retweeted_status",
  "quoted_status",
  "media_tags",
  "favorite_count",
  "retweet_count",
  "bookmark_count",
  "quote_count",
  "reply_count",
  "views_count",
  "favorited",
  "retweeted",
  "bookmarked",
  "url",
];

/** twitter-web-exporter's CSV: UTF-8 with BOM, newlines inside fields as a literal `\n`, nested values JSON-encoded. */
export function exporterCsv(rows: ExporterRow[]): string {
  const cell = (v: unknown): string => {
    if (v === null || v === undefined) return "";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v).replace(/\r?\n/g, "\\n");
  };
  return `\uFEFF${stringify(
    rows.map((r) => EXPORTER_COLUMNS.map((c) => cell(r[c]))),
    { header: true, columns: [...EXPORTER_COLUMNS] },
  )}`;
}
