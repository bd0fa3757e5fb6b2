/**
 * Media and avatars served by the sandbox itself, as X serves them: JPEG photos (`?name=orig` the
 * original size, otherwise X's size names, default `medium`), JPEG video posters, MP4 variants
 * (sandbox/video.ts) and JPEG avatars (`_normal` 96 px, without the suffix 400 px); all made
 * deterministically from the key, cacheable for a year, and 404 once their post is deleted (X's
 * media URLs stop working then). The original SVG drawings stay served at `.svg`.
 */
import { Hono } from "hono";
import { LRUCache } from "lru-cache";
import sharp from "sharp";
import { escapeHtml } from "./consent-page";
import { hash32, Rng } from "./random";
import type { SandboxStore } from "./store";
import type { MediaType, SandboxMedia } from "./types";
import { sandboxVideo, videoFrameSize } from "./video";

/** X's photo size names and their longest side (`orig`: as uploaded). */
const PHOTO_SIZES: Record<string, number> = { thumb: 150, small: 680, medium: 1200, large: 2048 };

const rendered = new LRUCache<string, Buffer>({ maxSize: 64 * 1024 * 1024, sizeCalculation: (b) => b.length });

/** SVG is drawn at most this wide (librsvg is slow on large canvases), then scaled to the size asked. */
const DRAW_SIDE = 640;

async function jpegFromSvg(
  cacheKey: string,
  svg: () => string,
  size: { width: number; height: number },
  maxSide?: number,
): Promise<Buffer> {
  const hit = rendered.get(cacheKey);
  if (hit) return hit;
  const scale = Math.min(1, (maxSide ?? Infinity) / Math.max(size.width, size.height));
  const width = Math.max(1, Math.round(size.width * scale));
  const height = Math.max(1, Math.round(size.height * scale));
  const draw = Math.min(1, DRAW_SIDE / Math.max(size.width, size.height));
  const drawn = await sharp(Buffer.from(svg()), { density: 72 * draw })
    .png()
    .toBuffer();
  const out = await sharp(drawn).resize({ width, height, fit: "fill" }).jpeg({ quality: 82 }).toBuffer();
  rendered.set(cacheKey, out);
  return out;
}

function binary(bytes: Buffer, contentType: string): Response {
  return new Response(new Uint8Array(bytes), {
    headers: { "content-type": contentType, "content-length": String(bytes.length), "cache-control": CACHE },
  });
}

const CACHE = "public, max-age=31536000, immutable";

function svgResponse(svg: string): Response {
  return new Response(svg, { headers: { "content-type": "image/svg+xml; charset=utf-8", "cache-control": CACHE } });
}

/** A landscape-like picture: sky gradient, sun, hills; a play button for videos, a badge for GIFs. */
export function mediaSvg(key: string, type: MediaType, width: number, height: number): string {
  const rng = new Rng(`media:${key}`);
  const hue = hash32(key) % 360;
  const hue2 = (hue + 40 + rng.int(0, 80)) % 360;
  const w = width;
  const h = height;
  const sunR = Math.round(Math.min(w, h) * (0.08 + rng.next() * 0.07));
  const sunX = Math.round(w * (0.15 + rng.next() * 0.7));
  const sunY = Math.round(h * (0.15 + rng.next() * 0.3));
  const hills = [0.55, 0.68, 0.8].map((base, i) => {
    const pts: string[] = [`0,${h}`];
    const steps = 5 + rng.int(0, 3);
    for (let s = 0; s <= steps; s++) pts.push(`${Math.round((w * s) / steps)},${Math.round(h * (base + (rng.next() - 0.5) * 0.16))}`);
    pts.push(`${w},${h}`);
    return `<polygon points="${pts.join(" ")}" fill="hsl(${(hue2 + i * 25) % 360} 55% ${38 - i * 9}%)"/>`;
  });
  const m = Math.min(w, h);
  const overlay =
    type === "video"
      ? `<circle cx="${w / 2}" cy="${h / 2}" r="${Math.round(m * 0.11)}" fill="rgba(0,0,0,.55)"/><polygon points="${Math.round(w / 2 - m * 0.035)},${Math.round(h / 2 - m * 0.055)} ${Math.round(w / 2 + m * 0.06)},${h / 2} ${Math.round(w / 2 - m * 0.035)},${Math.round(h / 2 + m * 0.055)}" fill="#fff"/>`
      : type === "animated_gif"
        ? `<rect x="${Math.round(m * 0.04)}" y="${Math.round(h - m * 0.16)}" width="${Math.round(m * 0.16)}" height="${Math.round(m * 0.1)}" rx="${Math.round(m * 0.02)}" fill="rgba(0,0,0,.6)"/><text x="${Math.round(m * 0.12)}" y="${Math.round(h - m * 0.085)}" font-family="sans-serif" font-weight="700" font-size="${Math.round(m * 0.055)}" fill="#fff" text-anchor="middle">GIF</text>`
        : "";
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}"><defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="hsl(${hue} 75% 62%)"/><stop offset="1" stop-color="hsl(${(hue + 30) % 360} 80% 85%)"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#s)"/><circle cx="${sunX}" cy="${sunY}" r="${sunR}" fill="hsl(${(hue + 180) % 360} 90% 92%)" opacity=".9"/>${hills.join("")}${overlay}</svg>`;
}

export function avatarSvg(seed: string, name: string): string {
  const hue = hash32(seed) % 360;
  const letter = escapeHtml(Array.from(name.trim())[0]?.toUpperCase() ?? "?");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 55%)"/><stop offset="1" stop-color="hsl(${(hue + 50) % 360} 75% 40%)"/></linearGradient></defs><rect width="400" height="400" fill="url(#g)"/><text x="200" y="200" dy=".35em" text-anchor="middle" font-family="-apple-system,Segoe UI,Hiragino Sans,Noto Sans JP,sans-serif" font-size="190" font-weight="700" fill="#fff">${letter}</text></svg>`;
}

/** A media file answers 404 once its post is deleted on X. */
function gone(store: SandboxStore, m: SandboxMedia | undefined): boolean {
  if (!m?.postId) return false;
  return store.posts.get(m.postId)?.deleted ?? true;
}

export function mediaRoutes(store: SandboxStore): Hono {
  const app = new Hono();

  app.get("/media/avatars/:file", async (c) => {
    const m = /^([0-9]{1,19})(_[a-z0-9]+)?\.(svg|jpg)$/.exec(c.req.param("file"));
    if (!m) return c.text("Not Found", 404);
    const id = m[1]!;
    const user = store.users.get(id);
    const svg = () => avatarSvg(id, user?.name ?? "?");
    if (m[3] === "svg") return svgResponse(svg());
    const side = m[2] === "_normal" ? 96 : 400;
    return binary(await jpegFromSvg(`avatar:${id}:${user?.name ?? "?"}:${side}`, svg, { width: 400, height: 400 }, side), "image/jpeg");
  });

  app.get("/media/:file", async (c) => {
    const file = c.req.param("file");
    const jpg = /^((?:3|7|16)_[0-9]{1,19})\.jpg$/.exec(file);
    if (jpg) {
      const key = jpg[1]!;
      const m = store.media.get(key);
      if (!m || gone(store, m)) return c.text("Not Found", 404);
      const name = c.req.query("name") ?? "medium";
      const side = name === "orig" ? undefined : PHOTO_SIZES[name];
      if (name !== "orig" && side === undefined) return c.text("Not Found", 404);
      return binary(
        await jpegFromSvg(`media:${key}:${side ?? "orig"}`, () => mediaSvg(key, m.type, m.width, m.height), m, side),
        "image/jpeg",
      );
    }
    const mp4 = /^((?:7|16)_[0-9]{1,19})(?:-([0-9]{1,5})p)?\.mp4$/.exec(file);
    if (mp4) {
      const key = mp4[1]!;
      const m = store.media.get(key);
      const variant = m?.variants?.find((v) => v.path === `/media/${file}`);
      if (!m || !variant || gone(store, m)) return c.text("Not Found", 404);
      const { w, h } = videoFrameSize(m.width, m.height, mp4[2] ? Number(mp4[2]) : Math.min(m.width, m.height));
      return binary(await sandboxVideo(key, w, h), "video/mp4");
    }
    const svg = /^((?:3|7|16)_[0-9]{1,19})\.svg$/.exec(file);
    if (svg) {
      const key = svg[1]!;
      const m = store.media.get(key);
      const type: MediaType = m?.type ?? (key.startsWith("3_") ? "photo" : key.startsWith("7_") ? "video" : "animated_gif");
      return svgResponse(mediaSvg(key, type, m?.width ?? 1200, m?.height ?? 675));
    }
    if (/\.m3u8$/.test(file)) {
      return c.text("The X sandbox does not serve HLS streams; use an MP4 variant.", 404);
    }
    return c.text("Not Found", 404);
  });

  return app;
}
