import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken, TokenDecryptionError } from "./token-crypto";

const key = randomBytes(32);

describe("token encryption (AES-256-GCM)", () => {
  it("round-trips and never stores the plaintext", () => {
    const sealed = encryptToken("secret-access-token-日本語", key, "user-1");
    expect(sealed).not.toContain("secret-access-token");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(decryptToken(sealed, key, "user-1")).toBe("secret-access-token-日本語");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptToken("same", key, "u")).not.toBe(encryptToken("same", key, "u"));
  });

  it("detects a tampered ciphertext or tag", () => {
    const sealed = encryptToken("secret", key, "u");
    const [v, iv, tag, body] = sealed.split(".") as [string, string, string, string];
    const flip = (b64: string) => {
      const buf = Buffer.from(b64, "base64url");
      buf[0] = buf[0]! ^ 1;
      return buf.toString("base64url");
    };
    expect(() => decryptToken([v, iv, tag, flip(body)].join("."), key, "u")).toThrow(TokenDecryptionError);
    expect(() => decryptToken([v, iv, flip(tag), body].join("."), key, "u")).toThrow(TokenDecryptionError);
    expect(() => decryptToken([v, flip(iv), tag, body].join("."), key, "u")).toThrow(TokenDecryptionError);
  });

  it("refuses a truncated tag (GCM accepts a prefix of the tag unless its length is fixed)", () => {
    const sealed = encryptToken("secret", key, "u");
    const [v, iv, tag, body] = sealed.split(".") as [string, string, string, string];
    const full = Buffer.from(tag, "base64url");
    expect(full).toHaveLength(16);
    for (const bytes of [4, 8, 12, 15]) {
      // A correct prefix of the real tag: without the length check this decrypts.
      const short = full.subarray(0, bytes).toString("base64url");
      expect(() => decryptToken([v, iv, short, body].join("."), key, "u"), `${bytes}-byte tag`).toThrow(TokenDecryptionError);
    }
    const long = Buffer.concat([full, Buffer.from([0])]).toString("base64url");
    expect(() => decryptToken([v, iv, long, body].join("."), key, "u")).toThrow(TokenDecryptionError);
    expect(decryptToken(sealed, key, "u")).toBe("secret");
  });

  it("refuses another key, another owner and a malformed value", () => {
    const sealed = encryptToken("secret", key, "owner");
    expect(() => decryptToken(sealed, randomBytes(32), "owner")).toThrow(TokenDecryptionError);
    expect(() => decryptToken(sealed, key, "someone-else")).toThrow(TokenDecryptionError);
    expect(() => decryptToken("plaintext-token", key, "owner")).toThrow(/expected encrypted format/);
  });
});
