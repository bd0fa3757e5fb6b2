import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for OAuth tokens at rest. Format: `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 * The user id is bound as additional authenticated data, so a ciphertext copied onto another
 * user's row fails to decrypt instead of handing one user another's X access.
 */
const VERSION = "v1";

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

export function encryptToken(plaintext: string, key: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad, "utf8"));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), body.toString("base64url")].join(".");
}

export function decryptToken(sealed: string, key: Buffer, aad: string): string {
  const [version, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) {
    throw new TokenDecryptionError("stored token is not in the expected encrypted format");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // GCM authentication failed: wrong key, wrong owner, or the ciphertext was altered.
    throw new TokenDecryptionError("stored token failed authentication (tampered, or encrypted with another key)");
  }
}
