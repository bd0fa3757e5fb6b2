import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * AES-256-GCM for OAuth tokens at rest. Format: `v1.<iv>.<tag>.<ciphertext>` (base64url parts).
 * The user id is bound as additional authenticated data, so a ciphertext copied onto another
 * user's row fails to decrypt instead of handing one user another's X access.
 */
const VERSION = "v1";
/** GCM's full 128-bit tag. Node accepts shorter tags on decrypt unless told, and a short tag is forgeable. */
const TAG_BYTES = 16;

export class TokenDecryptionError extends Error {
  override name = "TokenDecryptionError";
}

export function encryptToken(plaintext: string, key: Buffer, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
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
  const tagBytes = Buffer.from(tag, "base64url");
  if (tagBytes.length !== TAG_BYTES) throw new TokenDecryptionError("stored token failed authentication (its tag is not 16 bytes)");
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, "utf8"));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    // GCM authentication failed: wrong key, wrong owner, or the ciphertext was altered.
    throw new TokenDecryptionError("stored token failed authentication (tampered, or encrypted with another key)");
  }
}
