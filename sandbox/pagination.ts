import { createHmac } from "node:crypto";

/**
 * Opaque pagination tokens that act as cursors: "the bookmarks older (next) or newer (previous)
 * than bookmark number `seq` of this user". A position in the list, not an offset, so bookmarks
 * added between page fetches never shift or duplicate items. Signed, so a token only works for
 * the user it was issued to.
 */
export type Direction = "next" | "prev";

export class PaginationTokens {
  constructor(private readonly secret: string) {}

  encode(userId: string, dir: Direction, seq: number): string {
    const v = (BigInt(seq) << 49n) | (dir === "prev" ? 1n << 48n : 0n) | this.mac(userId, dir, seq);
    return v.toString(36);
  }

  decode(userId: string, token: string): { dir: Direction; seq: number } | null {
    if (!/^[0-9a-z]{10,40}$/.test(token)) return null;
    let v = 0n;
    for (const ch of token) v = v * 36n + BigInt(parseInt(ch, 36));
    const seqBig = v >> 49n;
    if (seqBig > BigInt(Number.MAX_SAFE_INTEGER)) return null;
    const seq = Number(seqBig);
    const dir: Direction = (v >> 48n) & 1n ? "prev" : "next";
    if ((v & ((1n << 48n) - 1n)) !== this.mac(userId, dir, seq)) return null;
    return { dir, seq };
  }

  private mac(userId: string, dir: Direction, seq: number): bigint {
    const d = createHmac("sha256", this.secret).update(`${userId}:${dir}:${seq}`).digest();
    return d.readBigUInt64BE(0) & ((1n << 48n) - 1n);
  }
}
