/**
 * Short, valid, deterministic MP4 files (H.264, 2 s, a key frame every half second so players
 * can seek), made on demand from a media key and a variant height: no video file ships with the
 * project and nothing is downloaded. h264-mp4-encoder is an H.264 encoder compiled to
 * WebAssembly (no ffmpeg on the machine); an encode takes ~0.6 s, so there are four looks per
 * frame size, encoded once, and each key's file is made unique by a trailing MP4 `free` box
 * carrying the key (players skip it), so no two posts share bytes unless they share media.
 */
import HME from "h264-mp4-encoder";
import { LRUCache } from "lru-cache";
import { hash32 } from "./random";

const FPS = 10;
const SECONDS = 2;
const cache = new LRUCache<string, Buffer>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (b) => b.length });
let queue: Promise<unknown> = Promise.resolve();

/** The frame size for a variant: small (the sandbox stands in for X's bit rates, not its pixels). */
export function videoFrameSize(width: number, height: number, variantHeight: number): { w: number; h: number } {
  const scale = Math.min(1, variantHeight / Math.max(1, Math.min(width, height))) / 4;
  const even16 = (n: number) => Math.max(32, Math.round(n / 16) * 16);
  return { w: even16(width * scale), h: even16(height * scale) };
}

const LOOKS = 4;

/** The MP4 of one media variant: a moving bar over one of four colours, tagged with the key. */
export async function sandboxVideo(key: string, w: number, h: number): Promise<Buffer> {
  const base = await baseVideo(hash32(key) % LOOKS, w, h);
  const tag = Buffer.from(`x-sandbox:${key}:${w}x${h}`, "utf8");
  const box = Buffer.alloc(8);
  box.writeUInt32BE(8 + tag.length, 0);
  box.write("free", 4, "latin1");
  return Buffer.concat([base, box, tag]);
}

function baseVideo(look: number, w: number, h: number): Promise<Buffer> {
  const id = `${look}:${w}x${h}`;
  const hit = cache.get(id);
  if (hit) return Promise.resolve(hit);
  const run = queue.then(async () => {
    const again = cache.get(id);
    if (again) return again;
    const bytes = await encode(hash32(`look:${look}`), w, h);
    cache.set(id, bytes);
    return bytes;
  });
  queue = run.catch(() => undefined);
  return run;
}

async function encode(seed: number, w: number, h: number): Promise<Buffer> {
  const enc = await HME.createH264MP4Encoder();
  try {
    enc.width = w;
    enc.height = h;
    enc.frameRate = FPS;
    enc.groupOfPictures = FPS / 2;
    enc.quantizationParameter = 30;
    enc.initialize();
    const [r, g, b] = [seed & 0xff, (seed >> 8) & 0xff, (seed >> 16) & 0xff];
    const frame = new Uint8Array(w * h * 4);
    const frames = FPS * SECONDS;
    for (let f = 0; f < frames; f++) {
      const bar = Math.floor((f / frames) * w);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const i = (y * w + x) * 4;
          const on = Math.abs(x - bar) < w / 12;
          frame[i] = on ? 255 : (r + y) & 0xff;
          frame[i + 1] = on ? 255 : (g + x) & 0xff;
          frame[i + 2] = on ? 255 : b;
          frame[i + 3] = 255;
        }
      }
      enc.addFrameRgba(frame);
    }
    enc.finalize();
    return Buffer.from(enc.FS.readFile(enc.outputFilename));
  } finally {
    enc.delete();
  }
}
