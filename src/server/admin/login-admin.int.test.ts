import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";
import type { Account, Profile, User } from "next-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { authOptions } from "~/server/auth";
import { ME_FIELDS } from "~/server/x/client";
import { X_SCOPES } from "~/server/x/config";
import { startHarness, type Harness } from "~/testing/harness";
import { loginAdminDecision } from "./login-admin";

/**
 * A log-in as next-auth's OAuth callback runs it (next-auth/core/routes/callback.js), with
 * next-auth's own parts: the provider as next-auth merges it, its `profile()` applied to the
 * sandbox's real /2/users/me answer, next-auth's callback handler (finds or creates the User
 * through our adapter), then our `events.signIn` with the same arguments next-auth passes.
 */
const nextAuthFile = (file: string) =>
  createRequire(import.meta.url)(path.resolve("node_modules/next-auth", file)) as { default: (...a: never[]) => unknown };
const parseProviders = nextAuthFile("core/lib/providers.js").default as unknown as (p: {
  providers: unknown[];
  url: URL;
  providerId: string;
}) => { provider: { profile: (raw: unknown, tokens: unknown) => Promise<Profile & { id: string }> } };
const callbackHandler = nextAuthFile("core/lib/callback-handler.js").default as unknown as (p: {
  sessionToken?: string;
  profile: unknown;
  account: Account;
  options: unknown;
}) => Promise<{ user: User; isNewUser?: boolean }>;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ worker: false });
}, 60_000);
afterAll(async () => {
  await h?.close();
});

async function logInThroughNextAuth(xUser: { id: string }) {
  const t = await h.control<{ access_token: string; refresh_token: string; expires_in: number }>("POST", "/tokens", {
    userId: xUser.id,
    scopes: [...X_SCOPES],
  });
  const me = await fetch(`${h.sandbox.url}/2/users/me?${new URLSearchParams(ME_FIELDS)}`, {
    headers: { authorization: `Bearer ${t.access_token}` },
  });
  const { provider } = parseProviders({
    providers: authOptions.providers,
    url: new URL("http://127.0.0.1/api/auth"),
    providerId: "twitter",
  });
  const profile = await provider.profile(await me.json(), t);
  const account: Account = {
    provider: "twitter",
    type: "oauth",
    providerAccountId: profile.id,
    access_token: t.access_token,
    refresh_token: t.refresh_token,
    expires_at: Math.floor(Date.now() / 1000) + t.expires_in,
    token_type: "bearer",
  };
  const options = {
    adapter: authOptions.adapter,
    jwt: {},
    events: {},
    session: { strategy: "database", maxAge: 3600, generateSessionToken: () => randomUUID() },
  };
  const { user, isNewUser } = await callbackHandler({ profile, account, options });
  await authOptions.events!.signIn!({ user, account, profile, isNewUser });
  return h.db.user.findUniqueOrThrow({ where: { id: user.id } });
}

async function xAccount(username = `la${randomUUID().replace(/-/g, "").slice(0, 12)}`) {
  return h.control<{ id: string; username: string }>("POST", "/users", { username, bookmarks: 0 });
}

/** Runs `fn` with the admin settings as given (the env object is the one the app reads). */
async function withAdmins<T>(config: { xIds?: string[]; handles?: string[] }, fn: () => Promise<T>): Promise<T> {
  const saved = { xIds: [...env.ADMIN_X_IDS], handles: [...env.ADMIN_HANDLES] };
  env.ADMIN_X_IDS.splice(0, Infinity, ...(config.xIds ?? []));
  env.ADMIN_HANDLES.splice(0, Infinity, ...(config.handles ?? []));
  try {
    return await fn();
  } finally {
    env.ADMIN_X_IDS.splice(0, Infinity, ...saved.xIds);
    env.ADMIN_HANDLES.splice(0, Infinity, ...saved.handles);
  }
}

describe("admins configured by X id and handle, through next-auth's log-in (issue 19)", () => {
  it("ADMIN_HANDLES promotes at the first log-in (new user) and keeps the profile on the User row", async () => {
    const x = await xAccount();
    const user = await withAdmins({ handles: [x.username.toLowerCase()] }, () => logInThroughNextAuth(x));
    expect(user).toMatchObject({ xId: x.id, handle: x.username, role: "ADMIN" });
    expect(await h.db.adminHandleGrant.findUnique({ where: { handle: x.username.toLowerCase() } })).toMatchObject({ xId: x.id });
  });

  it("ADMIN_HANDLES promotes a returning user who logged in before the handle was listed", async () => {
    const x = await xAccount();
    expect((await logInThroughNextAuth(x)).role).toBe("USER");
    const again = await withAdmins({ handles: [x.username] }, () => logInThroughNextAuth(x));
    expect(again.role).toBe("ADMIN");
    // The same User row: a returning user, not a new one.
    expect(await h.db.user.count({ where: { xId: x.id } })).toBe(1);
  });

  it("ADMIN_X_IDS promotes by X user id whatever the handle; a user not listed stays a user", async () => {
    const x = await xAccount();
    const other = await xAccount();
    await withAdmins({ xIds: [x.id] }, async () => {
      expect((await logInThroughNextAuth(x)).role).toBe("ADMIN");
      expect((await logInThroughNextAuth(other)).role).toBe("USER");
    });
  });

  it("a handle that changes owner gains nothing; its first owner stays an admin under a new handle", async () => {
    const handle = `boss${randomUUID().replace(/-/g, "").slice(0, 8)}`;
    const first = await xAccount(handle);
    await withAdmins({ handles: [handle] }, async () => {
      expect((await logInThroughNextAuth(first)).role).toBe("ADMIN");
      // The first owner renames on X; someone else registers the freed handle.
      await h.control("PATCH", `/users/${first.id}`, { username: `${handle}_old` });
      const squatter = await xAccount(handle);
      expect(squatter.id).not.toBe(first.id);
      const s = await logInThroughNextAuth(squatter);
      expect(s).toMatchObject({ handle, role: "USER" });
      expect((await h.db.adminHandleGrant.findUniqueOrThrow({ where: { handle } })).xId).toBe(first.id);
      // The first owner logs in again under the new handle: still an admin (role kept, never demoted here).
      expect(await logInThroughNextAuth(first)).toMatchObject({ handle: `${handle}_old`, role: "ADMIN" });
    });
  });

  it("never demotes: an admin granted by command stays one when not listed", async () => {
    const x = await xAccount();
    const u = await logInThroughNextAuth(x);
    await h.db.user.update({ where: { id: u.id }, data: { role: "ADMIN" } });
    expect((await withAdmins({}, () => logInThroughNextAuth(x))).role).toBe("ADMIN");
  });

  it("concurrent first log-ins of two X ids under one listed handle grant exactly one", async () => {
    const handle = `race${randomUUID().replace(/-/g, "").slice(0, 8)}`;
    const config = { xIds: [], handles: [handle] };
    const decisions = await Promise.all(
      ["111", "222", "333", "444"].map((xId) => loginAdminDecision(h.db, config, { xId, handle: `@${handle.toUpperCase()}` })),
    );
    expect(decisions.filter((d) => d === "handle")).toHaveLength(1);
    expect(decisions.filter((d) => d === "handle-taken")).toHaveLength(3);
    expect(await loginAdminDecision(h.db, config, { xId: "555", handle: "someone_else" })).toBe("no");
    expect(await loginAdminDecision(h.db, config, { xId: "555", handle: null })).toBe("no");
  });
});
