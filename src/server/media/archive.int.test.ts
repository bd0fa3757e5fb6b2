/**
 * The media archive end to end: sync → media-archive queue → sandbox downloads → content-addressed
 * store → the app's media route; and posts deleted on X keep their text and media. The same suite
 * runs on the filesystem store and on the S3 store against a real S3-compatible server (s3rver).
 */
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toAppSession } from "~/server/session";
import { startHarness, type Harness } from "~/testing/harness";
import { startS3Store } from "~/testing/s3-server";
import { archivePosts } from "./archive";
import { downloadMedia, PermanentMediaError } from "./download";
import { serveMedia } from "./serve";
import type { MediaStore } from "./store";
import { FsMediaStore } from "./store-fs";
import type { SandboxPost } from "../../../sandbox/types";

const backends: [string, () => Promise<{ store: MediaStore; close(): Promise<void> }>][] = [
  [
    "filesystem",
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "xb-media-"));
      return { store: new FsMediaStore(dir), close: () => rm(dir, { recursive: true, force: true }) };
    },
  ],
  ["S3 (s3rver)", () => startS3Store()],
];

async function bodyOf(res: Response): Promise<Buffer> {
  return Buffer.from(await res.arrayBuffer());
}

describe.each(backends)("media archive on the %s store", (_name, makeStore) => {
  let h: Harness;
  let backend: { store: MediaStore; close(): Promise<void> };
  let photoPost: SandboxPost;
  let videoPost: SandboxPost;

  beforeAll(async () => {
    backend = await makeStore();
    h = await startHarness({ media: { store: backend.store } });
    // One database serves both suites: each store starts empty, so its records start over too.
    await h.db.mediaAsset.deleteMany({});
    await h.db.mediaFile.deleteMany({});
    const posts = [...h.sandboxStore.posts.values()];
    const typeOf = (p: SandboxPost) => h.sandboxStore.media.get(p.mediaKeys?.[0] ?? "")?.type;
    photoPost = posts.find((p) => typeOf(p) === "photo")!;
    videoPost = posts.find((p) => typeOf(p) === "video")!;
  }, 60_000);
  afterAll(async () => {
    await h?.close();
    await backend?.close();
  });

  const session = (userId: string) => toAppSession({ id: userId }, new Date(Date.now() + 3600_000));
  const get = (userId: string | null, hash: string, headers: Record<string, string> = {}) =>
    serveMedia(
      { db: h.db, store: backend.store },
      userId ? session(userId) : null,
      new Request(`http://app.test/api/media/${hash}`, { headers }),
      hash,
    );

  /** Two users who both bookmarked the photo and the video post (and ten posts of their own). */
  async function twoUsersSharing() {
    const a = await h.createUser(10);
    const b = await h.createUser(10);
    for (const u of [a, b]) for (const p of [photoPost, videoPost]) h.sandboxStore.bookmarkList(u.xId).push(p.id);
    for (const u of [a, b]) {
      const run = await h.waitForRun((await h.caller(u.id).sync.start({ mode: "full" })).runId);
      expect(run.status).toBe("SUCCEEDED");
      const archive = await h.waitForArchive(u.id);
      expect(archive).toMatchObject({ pending: 0, failed: 0 });
    }
    return { a, b };
  }

  it("stores every file once (two users share it), photos in original size, the best MP4, posters, avatars, thumbnails", async () => {
    const { a, b } = await twoUsersSharing();
    const assets = await h.db.mediaAsset.findMany({ where: { postId: { in: [photoPost.id, videoPost.id] } } });
    const roles = assets.map((x) => `${x.postId === photoPost.id ? "p" : "v"}:${x.role}`).sort();
    expect(roles).toEqual([...photoPost.mediaKeys!.map(() => "p:photo"), "p:avatar", "v:avatar", "v:poster", "v:video"].sort());
    expect(assets.every((x) => x.status === "stored" && x.sha256)).toBe(true);

    for (const asset of assets) {
      // The stored bytes are what their name says, in the store exactly once.
      const stream = await backend.store.read(asset.sha256!);
      const chunks: Buffer[] = [];
      for await (const c of stream!) chunks.push(c as Buffer);
      expect(createHash("sha256").update(Buffer.concat(chunks)).digest("hex")).toBe(asset.sha256);
      expect(await h.db.mediaFile.count({ where: { sha256: asset.sha256! } })).toBe(1);
    }
    const photo = assets.find((x) => x.role === "photo" && x.mediaKey === photoPost.mediaKeys![0])!;
    const sbPhoto = h.sandboxStore.media.get(photo.mediaKey)!;
    const file = await h.db.mediaFile.findUniqueOrThrow({ where: { sha256: photo.sha256! } });
    expect(file).toMatchObject({ contentType: "image/jpeg", width: sbPhoto.width, height: sbPhoto.height });
    const thumb = await h.db.mediaFile.findUniqueOrThrow({ where: { sha256: photo.thumbSha256! } });
    expect(thumb.contentType).toBe("image/webp");
    expect(thumb.width).toBeLessThanOrEqual(480);

    const video = assets.find((x) => x.role === "video")!;
    expect(video.sourceUrl).toMatch(/-\d+p\.mp4$/);
    const best = h.sandboxStore.media.get(video.mediaKey)!.variants!.reduce((m, v) => ((v.bit_rate ?? -1) > (m.bit_rate ?? -1) ? v : m));
    expect(video.sourceUrl.endsWith(best.path)).toBe(true);
    expect((await h.db.mediaFile.findUniqueOrThrow({ where: { sha256: video.sha256! } })).contentType).toBe("video/mp4");

    // Both libraries show the archived copies.
    for (const u of [a, b]) {
      const items = (await h.caller(u.id).bookmarks.list({ filter: { q: "" }, limit: 100 })).items;
      const item = items.find((i) => i.post.id === photoPost.id)!;
      expect(item.post.media[0]!.url).toBe(`/api/media/${photo.sha256}`);
      expect(item.post.media[0]!.previewUrl).toBe(`/api/media/${photo.thumbSha256}`);
      expect(item.author.profileImageUrl).toMatch(/^\/api\/media\/[0-9a-f]{64}$/);
      expect(items.find((i) => i.post.id === videoPost.id)!.post.media[0]!.videoUrl).toBe(`/api/media/${video.sha256}`);
    }
  }, 120_000);

  it("serves archived files to users who bookmarked the post: ETag, immutable caching, ranges (206/416), 304; nobody else", async () => {
    const { a } = await twoUsersSharing();
    const stranger = await h.createUser(0);
    const video = await h.db.mediaAsset.findFirstOrThrow({ where: { postId: videoPost.id, role: "video" } });
    const sha = video.sha256!;
    const size = Number(video.size);

    const full = await get(a.id, sha);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("video/mp4");
    expect(full.headers.get("etag")).toBe(`"${sha}"`);
    expect(full.headers.get("cache-control")).toContain("max-age=31536000");
    expect(full.headers.get("cache-control")).toContain("immutable");
    expect(full.headers.get("accept-ranges")).toBe("bytes");
    const all = await bodyOf(full);
    expect(all.length).toBe(size);

    const part = await get(a.id, sha, { range: "bytes=100-199" });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe(`bytes 100-199/${size}`);
    expect((await bodyOf(part)).equals(all.subarray(100, 200))).toBe(true);
    const tail = await get(a.id, sha, { range: "bytes=-16" });
    expect(tail.status).toBe(206);
    expect((await bodyOf(tail)).equals(all.subarray(size - 16))).toBe(true);
    const open = await get(a.id, sha, { range: `bytes=${size - 5}-` });
    expect((await bodyOf(open)).length).toBe(5);
    const bad = await get(a.id, sha, { range: `bytes=${size + 10}-${size + 20}` });
    expect(bad.status).toBe(416);
    expect(bad.headers.get("content-range")).toBe(`bytes */${size}`);
    expect((await get(a.id, sha, { "if-none-match": `"${sha}"` })).status).toBe(304);

    expect((await get(stranger.id, sha)).status).toBe(404);
    expect((await get(null, sha)).status).toBe(401);
    expect((await get(a.id, "../../etc/passwd")).status).toBe(404);
    expect((await get(a.id, "f".repeat(64))).status).toBe(404);
    // A bookmark deleted here no longer opens its media.
    const bm = await h.db.bookmark.findFirstOrThrow({ where: { userId: a.id, postId: videoPost.id } });
    await h.db.bookmark.update({ where: { id: bm.id }, data: { deletedAt: new Date() } });
    expect((await get(a.id, sha)).status).toBe(404);
  }, 120_000);

  it("a post deleted on X keeps its text and media here, is marked and found by is:deleted, through later syncs", async () => {
    const user = await h.createUser(15);
    const target = [...h.sandboxStore.posts.values()].find(
      (p) => !p.deleted && p.id !== photoPost.id && h.sandboxStore.media.get(p.mediaKeys?.[0] ?? "")?.type === "photo",
    )!;
    h.sandboxStore.bookmarkList(user.xId).push(target.id);
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    await h.waitForArchive(user.id);
    const photo = await h.db.mediaAsset.findFirstOrThrow({ where: { postId: target.id, role: "photo" } });
    const xUrl = photo.sourceUrl;
    expect((await fetch(xUrl)).status).toBe(200);

    await h.control("DELETE", `/posts/${target.id}`);
    expect((await fetch(xUrl)).status).toBe(404); // gone from X
    const run = await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    expect(run.status).toBe("SUCCEEDED");
    const post = await h.db.post.findUniqueOrThrow({ where: { id: target.id } });
    expect(post.deletedOnXAt).toBeInstanceOf(Date);
    expect(post.text).toBe(target.note?.text ?? target.text);

    const list = async (q: string) => (await h.caller(user.id).bookmarks.list({ filter: { q }, limit: 100 })).items;
    const item = (await list("")).find((i) => i.post.id === target.id)!;
    expect(item.removedOnXAt).toBeNull();
    expect(item.post.deletedOnXAt).toEqual(post.deletedOnXAt);
    expect(item.post.media[0]!.url).toBe(`/api/media/${photo.sha256}`);
    const served = await get(user.id, photo.sha256!);
    expect(served.status).toBe(200);
    expect((await sharp(await bodyOf(served)).metadata()).format).toBe("jpeg");
    expect((await list("is:deleted")).map((i) => i.post.id)).toEqual([target.id]);
    expect((await list("-is:deleted")).some((i) => i.post.id === target.id)).toBe(false);

    // Later syncs lose nothing and keep the first notice.
    for (const mode of ["full", "incremental"] as const) await h.waitForRun((await h.caller(user.id).sync.start({ mode })).runId);
    await h.waitForArchive(user.id);
    const after = await h.db.post.findUniqueOrThrow({ where: { id: target.id } });
    expect(after.deletedOnXAt).toEqual(post.deletedOnXAt);
    expect(after.text).toBe(post.text);
    expect(await h.db.mediaAsset.findFirstOrThrow({ where: { id: photo.id } })).toMatchObject({ status: "stored", sha256: photo.sha256 });
    expect((await get(user.id, photo.sha256!)).status).toBe(200);
  }, 120_000);

  it("keeps images only, or nothing, as the user chose", async () => {
    const images = await h.createUser(0);
    const off = await h.createUser(0);
    const videos = [...h.sandboxStore.posts.values()].filter(
      (p) => !p.deleted && h.sandboxStore.media.get(p.mediaKeys?.[0] ?? "")?.type === "video",
    );
    // Posts no earlier test archived (another user's library may hold, or quote, any video post).
    const untouched: typeof videos = [];
    for (const p of videos) if ((await h.db.mediaAsset.count({ where: { postId: p.id } })) === 0) untouched.push(p);
    const [v1, v2] = [untouched[0]!, untouched[1]!];
    h.sandboxStore.bookmarkList(images.xId).push(v1.id);
    h.sandboxStore.bookmarkList(off.xId).push(v2.id);
    await h.caller(images.id).media.setMode({ mode: "IMAGES" });
    await h.caller(off.id).media.setMode({ mode: "OFF" });
    for (const u of [images, off]) {
      await h.waitForRun((await h.caller(u.id).sync.start({ mode: "full" })).runId);
      await h.waitForArchive(u.id);
    }
    const roles = await h.db.mediaAsset.findMany({
      where: { postId: v1.id },
      select: { role: true, status: true },
      orderBy: { role: "asc" },
    });
    expect(roles).toEqual([
      { role: "avatar", status: "stored" },
      { role: "poster", status: "stored" },
    ]);
    expect(await h.db.mediaAsset.count({ where: { postId: v2.id } })).toBe(0);
    expect(await h.caller(off.id).media.status()).toMatchObject({ mode: "OFF", stored: 0, bytes: 0 });
    await expect(h.caller(off.id).media.setMode({ mode: "SOME" as never })).rejects.toThrow();
  }, 120_000);

  it("refuses files past the size limits and content that is not an image or MP4; retries only what can succeed", async () => {
    const photo = h.sandboxStore.media.get(photoPost.mediaKeys![0]!)!;
    const url = `${h.sandbox.url}${photo.imagePath}?name=orig`;
    await expect(downloadMedia(url, { maxBytes: 100, timeoutMs: 5_000 })).rejects.toThrow(PermanentMediaError);
    await expect(
      downloadMedia(`${h.sandbox.url}${photo.imagePath.replace(/\.jpg$/, ".svg")}`, { maxBytes: 1e7, timeoutMs: 5_000 }),
    ).rejects.toThrow(/not an image or MP4 video/);
    await expect(downloadMedia(`${h.sandbox.url}/media/3_1.jpg`, { maxBytes: 1e7, timeoutMs: 5_000 })).rejects.toThrow(PermanentMediaError);
    // A server that cannot be reached is worth retrying (not permanent).
    const err = await downloadMedia("http://127.0.0.1:9/x.jpg", { maxBytes: 1e7, timeoutMs: 2_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(PermanentMediaError);
    // A lying Content-Length does not help: the limit holds while reading.
    const lying = await downloadMedia(url, {
      maxBytes: 1_000,
      timeoutMs: 5_000,
      fetch: async (u) => {
        const r = await fetch(u);
        return new Response(r.body, { status: 200, headers: { "content-length": "10" } });
      },
    }).catch((e: unknown) => e);
    expect(lying).toBeInstanceOf(PermanentMediaError);

    // The per-user limit: once reached, the rest is skipped (not failed, not retried).
    const user = await h.createUser(0);
    const posts = [...h.sandboxStore.posts.values()].filter((p) => !p.deleted && (p.mediaKeys?.length ?? 0) > 0).slice(40, 46);
    for (const p of posts) h.sandboxStore.bookmarkList(user.xId).push(p.id);
    await h.caller(user.id).media.setMode({ mode: "OFF" }); // the sync queues nothing for this user
    await h.waitForRun((await h.caller(user.id).sync.start({ mode: "full" })).runId);
    await h.caller(user.id).media.setMode({ mode: "ALL" });
    await h.db.mediaAsset.deleteMany({ where: { postId: { in: posts.map((p) => p.id) } } });
    const r = await archivePosts({ ...h.mediaDeps!, maxUserBytes: 1 }, { userId: user.id, postIds: posts.map((p) => p.id) });
    expect(r.skipped).toBeGreaterThan(0);
    expect(r.retryable).toEqual([]);
    // Another user's posts are not archived through this user's job.
    const other = await h.createUser(3);
    await h.waitForRun((await h.caller(other.id).sync.start({ mode: "full" })).runId);
    const otherIds = (await h.db.bookmark.findMany({ where: { userId: other.id }, select: { postId: true } })).map((x) => x.postId);
    expect((await archivePosts(h.mediaDeps!, { userId: user.id, postIds: otherIds })).planned).toBe(0);
  }, 120_000);
});
