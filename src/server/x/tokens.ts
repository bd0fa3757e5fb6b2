import type { Redis } from "ioredis";
import { decodeKey, env } from "~/env";
import type { Db } from "~/server/db";
import { withRedisLock } from "~/server/redis-lock";
import { decryptToken, encryptToken } from "~/server/token-crypto";
import type { XConfig } from "./config";
import { XAuthError } from "./errors";
import { refreshTokens } from "./oauth";

/** next-auth's id for the X provider. */
export const X_PROVIDER = "twitter";
/** Refresh this long before X's expiry, so a page fetch never starts with a dying token. */
const EXPIRY_MARGIN_S = 60;

export function tokenKeyFromEnv(): Buffer {
  return decodeKey(env.TOKEN_ENCRYPTION_KEY)!;
}

export interface TokenDeps {
  db: Db;
  redis: Redis;
  key: Buffer;
  x: Pick<XConfig, "tokenUrl" | "clientId" | "clientSecret" | "timeoutMs">;
}

export interface PlainTokens {
  access_token?: string | null;
  refresh_token?: string | null;
  id_token?: string | null;
}

/** Encrypts whichever token fields are present; the user id is bound into each ciphertext. */
export function sealTokens<T extends PlainTokens>(tokens: T, userId: string, key: Buffer): T {
  const seal = (v: string | null | undefined) => (v ? encryptToken(v, key, userId) : v);
  return {
    ...tokens,
    access_token: seal(tokens.access_token),
    refresh_token: seal(tokens.refresh_token),
    id_token: seal(tokens.id_token),
  };
}

export interface XAccess {
  accessToken: string;
  xUserId: string;
  /** The stored ciphertext this token came from (to recognise it as stale later). */
  sealed: string | null;
}

async function loadAccount(db: Db, userId: string) {
  const account = await db.account.findFirst({ where: { userId, provider: X_PROVIDER } });
  if (!account) throw new XAuthError("revoked", "This user has no linked X account; log in with X again.");
  return account;
}

function nowS() {
  return Math.floor(Date.now() / 1000);
}

/** A usable access token for the user, refreshed first when it has expired or is about to. */
export async function getXAccess(deps: TokenDeps, userId: string): Promise<XAccess> {
  const account = await loadAccount(deps.db, userId);
  if (account.needsReauthAt) throw new XAuthError("revoked", "X access was revoked or expired; log in with X again.");
  if (account.access_token && (account.expires_at ?? Infinity) > nowS() + EXPIRY_MARGIN_S) {
    return {
      accessToken: decryptToken(account.access_token, deps.key, userId),
      xUserId: account.providerAccountId,
      sealed: account.access_token,
    };
  }
  return refreshXAccess(deps, userId, account.access_token);
}

/**
 * The refresh lock's timing for an X request timeout: held (and renewed) for the whole refresh,
 * and lasting past the request's timeout even unrenewed, so a slow X answer never lets a second
 * process spend the same single-use refresh token; a waiter waits longer still.
 */
export function refreshLockTiming(xTimeoutMs: number): { ttlMs: number; waitMs: number } {
  const ttlMs = xTimeoutMs + 10_000;
  return { ttlMs, waitMs: ttlMs + 5_000 };
}

/**
 * Refreshes the user's X tokens under a per-user Redis lock, so the web and any number of
 * workers never spend the same (single-use) refresh token twice. `staleSealed` is the stored
 * access token the caller found unusable: if another process has replaced it meanwhile, that
 * new token is returned without refreshing again.
 */
export async function refreshXAccess(deps: TokenDeps, userId: string, staleSealed: string | null): Promise<XAccess> {
  return withRedisLock(deps.redis, `xb:lock:x-refresh:${userId}`, refreshLockTiming(deps.x.timeoutMs), async () => {
    const account = await loadAccount(deps.db, userId);
    if (account.needsReauthAt) throw new XAuthError("revoked", "X access was revoked or expired; log in with X again.");
    if (account.access_token && account.access_token !== staleSealed && (account.expires_at ?? Infinity) > nowS()) {
      return {
        accessToken: decryptToken(account.access_token, deps.key, userId),
        xUserId: account.providerAccountId,
        sealed: account.access_token,
      };
    }
    if (!account.refresh_token) {
      await markNeedsReauth(deps.db, account.id);
      throw new XAuthError("revoked", "X gave no refresh token (offline.access missing); log in with X again.");
    }
    let fresh;
    try {
      fresh = await refreshTokens(deps.x, decryptToken(account.refresh_token, deps.key, userId));
    } catch (e) {
      if (e instanceof XAuthError && e.kind === "revoked") await markNeedsReauth(deps.db, account.id);
      throw e;
    }
    // One UPDATE: the rotated pair lands together or not at all.
    const sealed = sealTokens({ access_token: fresh.access_token, refresh_token: fresh.refresh_token ?? null }, userId, deps.key);
    await deps.db.account.update({
      where: { id: account.id },
      data: {
        access_token: sealed.access_token,
        // X rotates refresh tokens; keep the old one only if X did not send a new one.
        refresh_token: sealed.refresh_token ?? account.refresh_token,
        expires_at: fresh.expires_in ? nowS() + fresh.expires_in : null,
        scope: fresh.scope ?? account.scope,
        token_type: fresh.token_type,
        tokensUpdatedAt: new Date(),
        needsReauthAt: null,
      },
    });
    return { accessToken: fresh.access_token, xUserId: account.providerAccountId, sealed: sealed.access_token ?? null };
  });
}

async function markNeedsReauth(db: Db, accountId: string) {
  await db.account.update({ where: { id: accountId }, data: { needsReauthAt: new Date() } });
}
