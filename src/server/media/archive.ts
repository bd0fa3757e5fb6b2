import { createHash } from "node:crypto";
import sharp from "sharp";
import type { Db } from "~/server/db";
import type { MediaItem } from "~/server/x/map";
import { downloadMedia, PermanentMediaError, type Downloaded } from "./download";
import { planPost, type ArchiveMode } from "./plan";
import type { MediaStore } from "./store";

export interface ArchiveDeps {
  db: Db;
  store: MediaStore;
  maxFileBytes: number;
  maxUserBytes: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface ArchiveResult {
  planned: number;
  stored: number;
  /** Files found already stored (same URL or same bytes): nothing written. */
  reused: number;
  failed: number;
  skipped: number;
  bytesDownloaded: number;
  bytesStored: number;
  /** Transient failures (network, 5xx): the job throws after the batch so BullMQ retries it. */
  retryable: string[];
}

/** The width of list thumbnails (cards are at most ~600 px wide, two columns for several images). */
export const THUMB_WIDTH = 480;

/**
 * Archives the media of a batch of a user's posts: plans the files, reuses any already stored
 * (by source URL, then by content hash), downloads the rest one at a time (the worker's job
 * concurrency bounds the total), stores each once under its sha-256, and makes a thumbnail for
 * images. Idempotent: a retried job only fetches what is not stored yet.
 */
export async function archivePosts(deps: ArchiveDeps, job: { userId: string; postIds: string[] }): Promise<ArchiveResult> {
  const { db } = deps;
  const result: ArchiveResult = {
    planned: 0,
    stored: 0,
    reused: 0,
    failed: 0,
    skipped: 0,
    bytesDownloaded: 0,
    bytesStored: 0,
    retryable: [],
  };
  const plan = await planArchive(db, job.userId, job.postIds);
  if (!plan) return result;
  const { mode, posts, planned } = plan;
  result.planned = planned.length;
  if (planned.length === 0) return result;
  if (mode === "IMAGES") {
    await db.mediaAsset.updateMany({
      where: { postId: { in: posts.map((p) => p.id) }, role: "video", status: "pending" },
      data: { status: "skipped", error: "archiving is limited to images" },
    });
  }

  const open = await db.mediaAsset.findMany({
    where: { postId: { in: posts.map((p) => p.id) }, status: "pending" },
    orderBy: { id: "asc" },
  });
  const wanted = new Set(planned.map(keyOf));
  let used = await userBytes(db, job.userId);
  // Within a batch the same URL (an author's avatar) is fetched once.
  const byUrl = new Map<string, { sha256: string; thumbSha256: string | null; size: bigint }>();

  for (const asset of open) {
    if (!wanted.has(keyOf(asset))) continue; // no longer shown by the post
    const known = byUrl.get(asset.sourceUrl) ?? (await storedForUrl(db, asset.sourceUrl));
    if (known) {
      await db.mediaAsset.update({ where: { id: asset.id }, data: { status: "stored", ...known, error: null } });
      byUrl.set(asset.sourceUrl, known);
      result.reused++;
      continue;
    }
    if (used >= deps.maxUserBytes) {
      await db.mediaAsset.update({
        where: { id: asset.id },
        data: { status: "skipped", error: "your media archive is full (MEDIA_MAX_USER_MB)" },
      });
      result.skipped++;
      continue;
    }
    let file: Downloaded;
    try {
      file = await downloadMedia(asset.sourceUrl, { maxBytes: deps.maxFileBytes, timeoutMs: deps.timeoutMs ?? 30_000, fetch: deps.fetch });
    } catch (e) {
      const permanent = e instanceof PermanentMediaError;
      const message = e instanceof Error ? e.message : String(e);
      // A transient failure stays pending (the job's retry takes it again; see giveUpPending).
      await db.mediaAsset.update({
        where: { id: asset.id },
        data: { status: permanent ? "failed" : "pending", error: message.slice(0, 500), attempts: { increment: 1 } },
      });
      if (permanent) result.failed++;
      else result.retryable.push(`${asset.sourceUrl}: ${message}`);
      continue;
    }
    result.bytesDownloaded += file.bytes.length;
    const main = await storeFile(deps, file);
    if (main.created) result.bytesStored += file.bytes.length;
    else result.reused++;
    let thumbSha256: string | null = null;
    if (file.contentType.startsWith("image/") && asset.role !== "avatar") {
      const thumb = await makeThumbnail(file.bytes).catch(() => null);
      if (thumb) {
        const t = await storeFile(deps, thumb);
        if (t.created) result.bytesStored += thumb.bytes.length;
        thumbSha256 = thumb.sha256;
      }
    }
    const stored = { sha256: file.sha256, thumbSha256, size: BigInt(file.bytes.length) };
    await db.mediaAsset.update({ where: { id: asset.id }, data: { status: "stored", ...stored, error: null, attempts: { increment: 1 } } });
    byUrl.set(asset.sourceUrl, stored);
    if (main.created) used += file.bytes.length;
    result.stored++;
  }
  return result;
}

/**
 * Records the files these posts need as pending (idempotent), so the archive's progress counts
 * them from the moment they are queued, not only once a job gets to them. Null when the user
 * keeps no media. Only posts the user has bookmarked: a job never archives for someone else.
 */
export async function planArchive(db: Db, userId: string, postIds: readonly string[]) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { mediaArchive: true } });
  if (!user || user.mediaArchive === "OFF") return null;
  const mode = user.mediaArchive as ArchiveMode;
  const posts = await db.post.findMany({
    where: { id: { in: [...postIds] }, bookmarks: { some: { userId, deletedAt: null } } },
    select: { id: true, media: true, author: { select: { profileImageUrl: true } } },
  });
  const planned = posts.flatMap((p) =>
    planPost({ id: p.id, media: p.media as MediaItem[] | null, avatarUrl: p.author?.profileImageUrl ?? null }, mode),
  );
  if (planned.length > 0) await db.mediaAsset.createMany({ data: planned, skipDuplicates: true });
  return { mode, posts, planned };
}

/** The job's last attempt failed: what is still pending of its posts will not be fetched. */
export async function giveUpPending(db: Db, postIds: string[]): Promise<number> {
  const r = await db.mediaAsset.updateMany({ where: { postId: { in: postIds }, status: "pending" }, data: { status: "failed" } });
  return r.count;
}

function keyOf(a: { postId: string; mediaKey: string; role: string }): string {
  return `${a.postId}\u0000${a.mediaKey}\u0000${a.role}`;
}

async function storedForUrl(db: Db, sourceUrl: string) {
  const row = await db.mediaAsset.findFirst({
    where: { sourceUrl, status: "stored", sha256: { not: null } },
    select: { sha256: true, thumbSha256: true, size: true },
  });
  return row?.sha256 && row.size !== null ? { sha256: row.sha256, thumbSha256: row.thumbSha256, size: row.size } : null;
}

/** Writes the file unless its hash is already known; `created` when this call stored it. */
async function storeFile(deps: ArchiveDeps, file: Downloaded): Promise<{ created: boolean }> {
  const exists = await deps.db.mediaFile.findUnique({ where: { sha256: file.sha256 }, select: { sha256: true } });
  if (exists) return { created: false };
  await deps.store.put(file.sha256, file.bytes, file.contentType);
  const meta = file.contentType.startsWith("image/")
    ? await sharp(file.bytes)
        .metadata()
        .catch(() => null)
    : null;
  const rows = await deps.db.mediaFile.createMany({
    data: [
      {
        sha256: file.sha256,
        size: BigInt(file.bytes.length),
        contentType: file.contentType,
        width: meta?.width ?? null,
        height: meta?.height ?? null,
      },
    ],
    skipDuplicates: true,
  });
  return { created: rows.count > 0 };
}

async function makeThumbnail(bytes: Buffer): Promise<Downloaded> {
  const out = await sharp(bytes, { animated: false })
    .rotate()
    .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
    .webp({ quality: 72 })
    .toBuffer();
  return { bytes: out, sha256: createHash("sha256").update(out).digest("hex"), contentType: "image/webp" };
}

/**
 * Bytes of the user's archive: every distinct stored file their bookmarks show (a file shared
 * with others counts for each of them: it is in each library).
 */
export async function userBytes(db: Db, userId: string): Promise<number> {
  const rows = await db.$queryRaw<{ bytes: bigint | null }[]>`
    SELECT sum(f.size)::bigint AS bytes FROM "MediaFile" f WHERE f.sha256 IN (
      SELECT a.sha256 FROM "MediaAsset" a JOIN "Bookmark" b ON b."postId" = a."postId"
      WHERE b."userId" = ${userId} AND b."deletedAt" IS NULL AND a.sha256 IS NOT NULL
      UNION
      SELECT a."thumbSha256" FROM "MediaAsset" a JOIN "Bookmark" b ON b."postId" = a."postId"
      WHERE b."userId" = ${userId} AND b."deletedAt" IS NULL AND a."thumbSha256" IS NOT NULL)`;
  return Number(rows[0]?.bytes ?? 0n);
}

/** The archive's state for the user's bookmarks: files by status, and bytes stored. */
export async function archiveStatus(db: Db, userId: string) {
  const rows = await db.$queryRaw<{ status: string; n: number }[]>`
    SELECT a.status, count(*)::int AS n FROM "MediaAsset" a JOIN "Bookmark" b ON b."postId" = a."postId"
    WHERE b."userId" = ${userId} AND b."deletedAt" IS NULL GROUP BY a.status`;
  const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number | undefined>;
  const user = await db.user.findUnique({ where: { id: userId }, select: { mediaArchive: true } });
  return {
    mode: (user?.mediaArchive ?? "ALL") as ArchiveMode,
    pending: by.pending ?? 0,
    stored: by.stored ?? 0,
    failed: by.failed ?? 0,
    skipped: by.skipped ?? 0,
    bytes: await userBytes(db, userId),
  };
}
