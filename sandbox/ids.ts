import type { Rng } from "./random";

/** X's snowflake epoch (2010-11-04T01:42:54.657Z). */
const EPOCH = 1288834974657n;

/** Snowflake-like numeric string ids: time in the high bits, so ids increase with creation time. */
export class IdAllocator {
  private used = new Set<string>();
  private max = 0n;

  /** Marks a fixed id as taken. */
  reserve(id: string): void {
    this.used.add(id);
    const v = BigInt(id);
    if (v > this.max) this.max = v;
  }

  has(id: string): boolean {
    return this.used.has(id);
  }

  /** An unused id for something created at `ms`. */
  at(ms: number, rng: Rng): string {
    const t = BigInt(Math.max(0, Math.floor(ms))) - EPOCH;
    let v = ((t > 0n ? t : 0n) << 22n) | (BigInt(rng.int(0, 1023)) << 12n) | BigInt(rng.int(0, 4095));
    while (this.used.has(v.toString())) v++;
    return this.take(v);
  }

  /** An id greater than every id handed out so far (for posts created "now"). */
  newest(ms: number, rng: Rng): string {
    const t = BigInt(Math.max(0, Math.floor(ms))) - EPOCH;
    let v = ((t > 0n ? t : 0n) << 22n) | (BigInt(rng.int(0, 1023)) << 12n) | BigInt(rng.int(0, 255));
    if (v <= this.max) v = this.max + 1n + BigInt(rng.int(0, 63));
    return this.take(v);
  }

  private take(v: bigint): string {
    const id = v.toString();
    this.used.add(id);
    if (v > this.max) this.max = v;
    return id;
  }
}

/** Compares numeric string ids without BigInt (they have no leading zeros). */
export function compareIds(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** X's created_at: ISO 8601 with milliseconds, always .000 (second precision). */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString();
}
