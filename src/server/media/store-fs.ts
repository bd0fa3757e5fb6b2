import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { Readable } from "node:stream";
import { assertHash, type ByteRange, type MediaStore } from "./store";

/** Files under `<dir>/ab/cd/<sha256>`: two levels of fan-out keep directories small. */
export class FsMediaStore implements MediaStore {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  private path(sha256: string): string {
    assertHash(sha256);
    return join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.path(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async put(sha256: string, bytes: Buffer): Promise<void> {
    const path = this.path(sha256);
    if (await this.has(sha256)) return;
    await mkdir(dirname(path), { recursive: true });
    // Write aside, then rename: a reader never sees half a file, and two writers of the same
    // content simply replace one complete copy with another.
    const tmp = `${path}.${randomUUID()}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable | null> {
    const path = this.path(sha256);
    if (!(await this.has(sha256))) return null;
    return createReadStream(path, range ? { start: range.start, end: range.end } : {});
  }

  async delete(sha256: string): Promise<void> {
    await rm(this.path(sha256), { force: true });
  }
}
