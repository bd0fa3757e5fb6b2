import { PrismaAdapter } from "@next-auth/prisma-adapter";
import { getServerSession, type NextAuthOptions } from "next-auth";
import type { Adapter, AdapterAccount } from "next-auth/adapters";
import TwitterProvider from "next-auth/providers/twitter";
import { env } from "~/env";
import { sameOriginUrl } from "~/lib/safe-path";
import type { Role } from "~/generated/prisma/client";
import { isListedAdmin } from "./admin/handles";
import { db } from "./db";
import { createLogger } from "./logger";
import { toAppSession, type AppSession } from "./session";
import { xConfig, X_SCOPES } from "./x/config";
import { ME_FIELDS } from "./x/client";
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

interface XProfile {
  data: { id: string; name: string; username: string; profile_image_url?: string };
}

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
      profile(profile: XProfile) {
        const u = profile.data;
        return { id: u.id, name: u.name, email: null, image: u.profile_image_url ?? null, xId: u.id, handle: u.username };
      },
    }),
  ],
  callbacks: {
    // next-auth's default accepts any value starting with "/", and "/\t/evil.example" becomes
    // "//evil.example" once the browser drops the tab: decide on the URL as the browser reads it.
    redirect({ url, baseUrl }) {
      return sameOriginUrl(url, baseUrl) ?? baseUrl;
    },
    session({ session, user }) {
      const u = user as typeof user & { handle?: string | null; role?: Role };
      return toAppSession(u, session.expires) as unknown as typeof session;
    },
  },
  events: {
    // next-auth v4 does not refresh stored tokens on later sign-ins; a fresh login must replace
    // them (and clear "needs re-login"), and the profile may have changed on X.
    async signIn({ user, account, profile }) {
      if (!account || account.provider !== X_PROVIDER) return;
      const p = (profile as XProfile | undefined)?.data;
      await db.$transaction([
        db.account.update({
          where: { provider_providerAccountId: { provider: X_PROVIDER, providerAccountId: account.providerAccountId } },
          data: accountData({ ...account, userId: user.id } as AdapterAccount),
        }),
        ...(p
          ? [
              db.user.update({
                where: { id: user.id },
                // A handle listed in ADMIN_HANDLES is promoted; nobody is demoted here (an admin
                // granted with `npm run admin:grant` stays one).
                data: {
                  name: p.name,
                  handle: p.username,
                  image: p.profile_image_url ?? null,
                  xId: p.id,
                  ...(isListedAdmin(env.ADMIN_HANDLES, p.username) && { role: "ADMIN" as const }),
                },
              }),
            ]
          : []),
      ]);
    },
  },
};

/** The session for a server component or route handler, in the app's own shape. */
export async function getAppSession(): Promise<AppSession | null> {
  return (await getServerSession(authOptions)) as AppSession | null;
}
