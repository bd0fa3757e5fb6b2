import { env, type Env } from "~/env";

/** Where the X API and OAuth live: the real X, or the local sandbox when no credentials are set. */
export interface XConfig {
  sandbox: boolean;
  apiUrl: string;
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  clientId: string;
  clientSecret: string;
  pageSize: number;
  timeoutMs: number;
}

export const SANDBOX_CLIENT_ID = "xbookmarker-local";
export const SANDBOX_CLIENT_SECRET = "xbookmarker-local-secret";
export const X_SCOPES = ["tweet.read", "users.read", "bookmark.read", "offline.access"] as const;
/** Asked for only when the person turns write-back on (removing or adding bookmarks on X). */
export const X_WRITE_SCOPE = "bookmark.write";

export function xConfigFrom(e: Env): XConfig {
  const sandbox = !e.X_CLIENT_ID;
  const apiUrl = (e.X_API_URL ?? (sandbox ? `http://127.0.0.1:${e.X_SANDBOX_PORT}` : "https://api.x.com")).replace(/\/$/, "");
  return {
    sandbox,
    apiUrl,
    authorizeUrl: e.X_AUTHORIZE_URL ?? (sandbox ? `${apiUrl}/i/oauth2/authorize` : "https://x.com/i/oauth2/authorize"),
    tokenUrl: `${apiUrl}/2/oauth2/token`,
    revokeUrl: `${apiUrl}/2/oauth2/revoke`,
    clientId: e.X_CLIENT_ID ?? SANDBOX_CLIENT_ID,
    clientSecret: e.X_CLIENT_SECRET ?? SANDBOX_CLIENT_SECRET,
    pageSize: e.X_PAGE_SIZE,
    timeoutMs: e.X_REQUEST_TIMEOUT_MS,
  };
}

export const xConfig: XConfig = xConfigFrom(env);

/** Where media and avatars may come from besides X's https hosts: the sandbox, when it stands in for X. */
export const extraMediaOrigins: readonly string[] = xConfig.sandbox ? [new URL(xConfig.apiUrl).origin] : [];
