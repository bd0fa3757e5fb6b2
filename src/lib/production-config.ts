import { DEV_NEXTAUTH_SECRET, DEV_TOKEN_KEY } from "./dev-secrets";

/**
 * What a production process (NODE_ENV=production, web or worker) refuses to start with, as
 * "VARIABLE: problem" lines for src/env.ts's one start-up message. Read from the raw strings so
 * these problems are reported together with the schema's own (missing, malformed).
 */

/** Empirical Shannon entropy of a string, in bits (length × bits per character). */
export function entropyBits(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...value].length;
  let perChar = 0;
  for (const c of counts.values()) perChar -= (c / n) * Math.log2(c / n);
  return n * perChar;
}

/**
 * 128 bits: `openssl rand -base64 32` scores about 210 and `-hex 32` about 235, while a repeated
 * word or a short passphrase stays well under.
 */
export const MIN_SECRET_BITS = 128;

/** Whether a decoded 32-byte key looks random: many distinct bytes, not a line of typed text. */
export function isWeakKey(key: Buffer): boolean {
  const distinct = new Set(key).size;
  const printable = key.every((b) => b >= 0x20 && b < 0x7f);
  // 32 random bytes have ~30 distinct values; all 32 printable has odds of about 1 in 10^17.
  return distinct < 16 || printable;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const isTrue = (v: string | undefined) => v === "true" || v === "1";

export function productionProblems(raw: Record<string, string | undefined>, decodeKey: (value: string) => Buffer | null): string[] {
  const problems: string[] = [];
  const value = (k: string) => (raw[k] === "" ? undefined : raw[k]);

  // Skipping validation would also drop every default: the body, batch and statement caps would be
  // undefined (no limit at all) and the secrets unchecked. A test or build convenience only.
  if (raw.SKIP_ENV_VALIDATION)
    problems.push(
      "SKIP_ENV_VALIDATION: is refused in production (it would lift the request limits and leave the secrets unchecked); unset it",
    );

  const insecureOk = isTrue(value("ALLOW_INSECURE_HTTP"));
  const urlText = value("NEXTAUTH_URL");
  let url: URL | null = null;
  try {
    url = urlText === undefined ? null : new URL(urlText);
  } catch {
    // The schema reports a malformed URL.
  }
  if (urlText === undefined) problems.push("NEXTAUTH_URL: is required in production (the app's public https:// URL)");
  else if (url && url.protocol !== "https:" && !insecureOk) {
    problems.push("NEXTAUTH_URL: must be https:// in production (ALLOW_INSECURE_HTTP=true allows http on a private network)");
  }

  const hasX = value("X_CLIENT_ID") !== undefined && value("X_CLIENT_SECRET") !== undefined;
  // A production build run against the X sandbox on this machine (the e2e suite, dev:cluster):
  // anyone reaching it may log in as any sandbox account, so it must not be reachable from
  // elsewhere (loopback NEXTAUTH_URL), and it holds no real X tokens: the published development
  // secrets are accepted there (weak ones are not).
  let sandboxRun = false;
  if (isTrue(value("ALLOW_X_SANDBOX"))) {
    if (hasX) problems.push("ALLOW_X_SANDBOX: set, but so are X_CLIENT_ID / X_CLIENT_SECRET; unset ALLOW_X_SANDBOX to use X");
    else if (!url || !LOOPBACK_HOSTS.has(url.hostname)) {
      problems.push(
        "ALLOW_X_SANDBOX: the X sandbox is for tests on this machine; NEXTAUTH_URL must then be a loopback address (127.0.0.1, localhost)",
      );
    } else sandboxRun = true;
  } else if (!hasX) {
    problems.push("X_CLIENT_ID / X_CLIENT_SECRET: are required in production (the X sandbox is never used in production)");
  }

  const secret = value("NEXTAUTH_SECRET");
  if (secret === DEV_NEXTAUTH_SECRET) {
    if (!sandboxRun) problems.push("NEXTAUTH_SECRET: is the published development value; generate one: openssl rand -base64 32");
  } else if (secret !== undefined && secret.length >= 32 && entropyBits(secret) < MIN_SECRET_BITS) {
    problems.push("NEXTAUTH_SECRET: is weak (too repetitive to be random); generate one: openssl rand -base64 32");
  }

  const keyText = value("TOKEN_ENCRYPTION_KEY");
  const key = keyText === undefined ? null : decodeKey(keyText);
  if (key?.equals(decodeKey(DEV_TOKEN_KEY)!)) {
    if (!sandboxRun) problems.push("TOKEN_ENCRYPTION_KEY: is the published development value; generate one: openssl rand -base64 32");
  } else if (key && isWeakKey(key)) {
    problems.push("TOKEN_ENCRYPTION_KEY: is weak (not 32 random bytes); generate one: openssl rand -base64 32");
  }
  return problems;
}
