import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { getServerSession, type NextAuthOptions } from "next-auth";
import type { Adapter, AdapterAccount } from "next-auth/adapters";
import TwitterProvider from "next-auth/providers/twitter";
import { cache } from "react";
import { env } from "~/env";
import type { Role } from "~/generated/prisma/client";
import { sameOriginUrl } from "~/lib/safe-path";
import { loginAdminDecision } from "./admin/login-admin";
import { db } from "./db";
import { createLogger } from "./logger";
import { webServices } from "./services";
import { toAppSession, type AppSession } from "./session";
import { publishSessionsChanged } from "./session-events";
import { ME_FIELDS } from "./x/client";
import { xConfig, X_SCOPES } from "./x/config";
import { sealTokens, tokenKeyFromEnv, X_PROVIDER } from "./x/tokens";

const log = createLogger("auth");

/** The Account columns next-auth may hand us, with every token encrypted. */
function accountData(account: AdapterAccount) {
  const sealed = sealTokens(
    { access_token: account.access_token, refresh_token: account.refresh_token, id_token: account.id_token },
    account.userId,
    // Read here, not at import: `next build` loads this module without the runtime's secrets.
    tokenKeyFromEnv(),
  );
  return {
    ...sealed,
    expires_at: account.expires_at ?? null,
    token_type: account.token_type ?? null,
    scope: account.scope ?? null,
    session_state: account.session_state ?? null,
    needsReauthAt: null,
    tokensUpdatedAt: new Date(),
  };
}

// The Prisma adapter writes tokens as given; ours encrypts them first (AES-256-GCM at rest).
const baseAdapter = PrismaAdapter(db as unknown as Parameters<typeof PrismaAdapter>[0]);
const adapter: Adapter = {
  ...baseAdapter,
  linkAccount: async (account: AdapterAccount) => {
    await db.account.create({
      data: {
        userId: account.userId,
        type: account.type,
        provider: account.provider,
        providerAccountId: account.providerAccountId,
        ...accountData(account),
      },
    });
  },
};

/** X's answer to GET /2/users/me, as the provider hands it to `profile()`. */
export interface XProfile {
  data: { id: string; name: string; username: string; profile_image_url?: string };
}

/**
 * The provider's normalised profile: what next-auth stores on a new User and hands to
 * `events.signIn` as `profile` (not X's raw `{ data }`).
 */
export function profileFromX(profile: XProfile) {
  const u = profile.data;
  return { id: u.id, name: u.name, email: null, image: u.profile_image_url ?? null, xId: u.id, handle: u.username };
}
export type LoginProfile = ReturnType<typeof profileFromX>;

export const authOptions: NextAuthOptions = {
  adapter,
  secret: env.NEXTAUTH_SECRET,
  session: { strategy: "database", maxAge: 30 * 24 * 3600 },
  pages: { signIn: "/login", error: "/login" },
  // next-auth's own messages through our redacting logger; a cancelled consent is not an error.
  logger: {
    error(code, metadata) {
      const message = metadata instanceof Error ? metadata.message : String((metadata as { message?: unknown })?.message ?? "");
      if (code === "OAUTH_CALLBACK_ERROR" && message.includes("access_denied")) log.info("login cancelled on X's consent page");
      else log.error({ code, err: metadata }, "next-auth error");
    },
    warn(code) {
      if (code !== "TWITTER_OAUTH_2_BETA") log.warn({ code }, "next-auth warning");
    },
    debug() {},
  },
  providers: [
    TwitterProvider({
      clientId: xConfig.clientId,
      clientSecret: xConfig.clientSecret,
      version: "2.0",
      authorization: { url: xConfig.authorizeUrl, params: { scope: X_SCOPES.join(" ") } },
      token: { url: xConfig.tokenUrl },
      userinfo: { url: `${xConfig.apiUrl}/2/users/me`, params: ME_FIELDS },
      profile: profileFromX,
    }),
  ],
  callbacks: {
    // next-auth's default accepts any value starting with "/", and "/\t/evil.example" becomes
    // "//evil.example" once the browser drops the tab: decide on the URL as the browser reads it.
    redirect({ url, baseUrl }) {
      return sameOriginUrl(url, baseUrl) ?? baseUrl;
    },
    session({ session, user }) {
      const u = user as typeof user & { handle?: string | null; role?: Role; locale?: string | null };
      return toAppSession(u, session.expires) as unknown as typeof session;
    },
  },
  events: {
    // next-auth v4 does not refresh stored tokens on later sign-ins; a fresh login must replace
    // them (and clear "needs re-login"), and the profile may have changed on X.
    async signIn({ user, account, profile }) {
      if (!account || account.provider !== X_PROVIDER) return;
      const p = profile as Partial<LoginProfile> | undefined;
      const admin = p?.xId
        ? await loginAdminDecision(db, { xIds: env.ADMIN_X_IDS, handles: env.ADMIN_HANDLES }, { xId: p.xId, handle: p.handle ?? null })
        : "no";
      if (admin === "handle-taken")
        log.warn({ userId: user.id }, "ADMIN_HANDLES lists this handle, but it was granted to another X account: not promoted");
      await db.$transaction([
        db.account.update({
          where: { provider_providerAccountId: { provider: X_PROVIDER, providerAccountId: account.providerAccountId } },
          data: accountData({ ...account, userId: user.id } as AdapterAccount),
        }),
        ...(p?.xId
          ? [
              db.user.update({
                where: { id: user.id },
                // Configured admins are promoted; nobody is demoted here (an admin granted with
                // `npm run admin:grant` stays one).
                data: {
                  name: p.name ?? null,
                  handle: p.handle ?? null,
                  image: p.image ?? null,
                  xId: p.xId,
                  ...((admin === "x-id" || admin === "handle") && { role: "ADMIN" as const }),
                },
              }),
            ]
          : []),
      ]);
    },
    // next-auth has deleted the session row; the user's open sockets (in every web process)
    // re-check theirs now, and the one with this session closes (ws.ts).
    async signOut({ session }) {
      const userId = (session as { userId?: string } | null)?.userId;
      if (!userId) return;
      await publishSessionsChanged(webServices().redis, userId).catch((err: unknown) =>
        log.warn({ err, userId }, "could not announce the log-out; open sockets notice at their next check"),
      );
    },
  },
};

/**
 * The session for a server component or route handler, in the app's own shape. Cached for one
 * server render: the page and the i18n request config (src/i18n/request.ts) both ask.
 */
export const getAppSession = cache(async (): Promise<AppSession | null> => {
  return (await getServerSession(authOptions)) as AppSession | null;
});
