import type { Db } from "~/server/db";
import { X_SCOPES } from "~/server/x/config";
import { sealTokens, X_PROVIDER } from "~/server/x/tokens";
import type { SandboxControl } from "./sandbox-control";

export interface TestUser {
  id: string;
  xId: string;
  username: string;
}

/**
 * An app user logged in with a sandbox X account, as if through the consent page: a token pair
 * minted by the sandbox, stored encrypted on the user's Account row.
 */
export async function linkSandboxAccount(
  deps: { db: Db; key: Buffer; control: SandboxControl },
  xUser: { id: string; username: string },
  opts: { scopes?: string[]; expiresIn?: number } = {},
): Promise<TestUser> {
  const { db, key, control } = deps;
  const t = await control<{ access_token: string; refresh_token: string; expires_in: number; scope: string }>("POST", "/tokens", {
    userId: xUser.id,
    scopes: opts.scopes ?? [...X_SCOPES],
    ...(opts.expiresIn !== undefined && { expiresIn: opts.expiresIn }),
  });
  // Seeded sandbox accounts are the same in every run: start them over.
  await db.user.deleteMany({ where: { xId: xUser.id } });
  const user = await db.user.create({ data: { name: xUser.username, handle: xUser.username, xId: xUser.id } });
  await db.account.create({
    data: {
      userId: user.id,
      type: "oauth",
      provider: X_PROVIDER,
      providerAccountId: xUser.id,
      ...sealTokens({ access_token: t.access_token, refresh_token: t.refresh_token }, user.id, key),
      expires_at: Math.floor(Date.now() / 1000) + t.expires_in,
      scope: t.scope,
      token_type: "bearer",
    },
  });
  return { id: user.id, xId: xUser.id, username: xUser.username };
}
