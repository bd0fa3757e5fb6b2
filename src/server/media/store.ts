/**
 * The content-addressed media store: files are named by the sha-256 of their bytes, so the same
 * file is stored once for everyone. One small interface, two back-ends: the local filesystem
 * (default, MEDIA_DIR) and any S3-compatible object store (several machines share one store).
 */
import type { Readable } from "node:stream";
import { env as processEnv, type Env } from "~/env";
import { FsMediaStore } from "./store-fs";
import { S3MediaStore } from "./store-s3";

/** A byte range, both ends inclusive (as in HTTP's Range header). */
export interface ByteRange {
  start: number;
  end: number;
}

export interface MediaStore {
  /** Whether the file is stored. */
  has(sha256: string): Promise<boolean>;
  /** Stores the bytes under their hash (a no-op when already stored). */
  put(sha256: string, bytes: Buffer, contentType: string): Promise<void>;
  /** The file's bytes (or a range of them); null when it is not stored. */
  read(sha256: string, range?: ByteRange): Promise<Readable | null>;
  /** Removes the file (tests and clean-up). */
  delete(sha256: string): Promise<void>;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses anything but a hex sha-256 as a name, so no caller can reach outside the store. */
export function assertHash(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new Error(`not a sha-256 hex name: ${sha256.slice(0, 80)}`);
}

export function createMediaStore(
  env: Pick<
    Env,
    | "MEDIA_STORE"
    | "MEDIA_DIR"
    | "S3_ENDPOINT"
    | "S3_REGION"
    | "S3_BUCKET"
    | "S3_ACCESS_KEY_ID"
    | "S3_SECRET_ACCESS_KEY"
    | "S3_FORCE_PATH_STYLE"
  >,
): MediaStore {
  if (env.MEDIA_STORE === "s3") {
    return new S3MediaStore({
      bucket: env.S3_BUCKET!,
      region: env.S3_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE,
      credentials:
        env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY }
          : undefined,
    });
  }
  return new FsMediaStore(env.MEDIA_DIR);
}

// One store per process (Next's bundled route handlers load their own copy of this module).
const holder = globalThis as unknown as { xbMediaStore?: MediaStore };
/** The process's store, from MEDIA_STORE and its settings. */
export function mediaStore(): MediaStore {
  holder.xbMediaStore ??= createMediaStore(processEnv);
  return holder.xbMediaStore;
}
