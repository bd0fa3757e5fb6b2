/** Helpers for the sandbox's own tests (in-process requests through Hono's app.request). */
import { createHash, randomBytes } from "node:crypto";
import { createSandbox, type SandboxOptions } from "./app";

export const ALL_SCOPES = ["tweet.read", "users.read", "bookmark.read", "offline.access"];
export const REDIRECT = "http://127.0.0.1:3000/api/auth/callback/twitter";
export const CLIENT_ID = "test-client";
export const CLIENT_SECRET = "test-secret";

export type Sandbox = ReturnType<typeof createSandbox>;

export function sandbox(opts: SandboxOptions = {}): Sandbox {
  return createSandbox({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, publicUrl: "http://sandbox.test", ...opts });
}

export function basic(id = CLIENT_ID, secret = CLIENT_SECRET): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}`;
}

export async function control<T = unknown>(
  sb: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await sb.app.request(`/_sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

export async function mint(sb: Sandbox, userId: string, scopes = ALL_SCOPES, expiresIn?: number): Promise<Tokens> {
  const r = await control<Tokens>(sb, "POST", "/tokens", { userId, scopes, ...(expiresIn !== undefined && { expiresIn }) });
  if (r.status !== 200) throw new Error(`mint failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function createUser(sb: Sandbox, username: string, bookmarks: number): Promise<string> {
  const r = await control<{ id: string }>(sb, "POST", "/users", { username, bookmarks });
  if (r.status !== 201) throw new Error(`create user failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.id;
}

export function apiGet(sb: Sandbox, path: string, accessToken?: string, init: RequestInit = {}): Promise<Response> {
  return Promise.resolve(sb.app.request(path, { ...init, headers: accessToken ? { authorization: `Bearer ${accessToken}` } : {} }));
}

export interface Page {
  data?: { id: string; [k: string]: unknown }[];
  includes?: { users?: Record<string, unknown>[]; media?: Record<string, unknown>[]; tweets?: Record<string, unknown>[] };
  errors?: Record<string, unknown>[];
  meta: { result_count: number; next_token?: string; previous_token?: string };
}

export async function bookmarksPage(sb: Sandbox, userId: string, token: string, params: Record<string, string> = {}): Promise<Page> {
  const res = await apiGet(sb, `/2/users/${userId}/bookmarks?${new URLSearchParams(params)}`, token);
  if (res.status !== 200) throw new Error(`bookmarks: ${res.status} ${await res.text()}`);
  return (await res.json()) as Page;
}

/** Follows next_token to the end; returns every page. */
export async function allPages(sb: Sandbox, userId: string, token: string, params: Record<string, string> = {}): Promise<Page[]> {
  const pages: Page[] = [];
  let next: string | undefined;
  do {
    const page = await bookmarksPage(sb, userId, token, { ...params, ...(next && { pagination_token: next }) });
    pages.push(page);
    next = page.meta.next_token;
  } while (next && pages.length < 1000);
  return pages;
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

/** Runs the consent page with the given account and decision; returns the redirect Location. */
export async function authorize(
  sb: Sandbox,
  opts: {
    account?: string;
    decision?: "authorize" | "cancel";
    scope?: string;
    challenge: string;
    method?: "S256" | "plain";
    state?: string;
    redirectUri?: string;
  },
): Promise<URL> {
  const form = new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: opts.redirectUri ?? REDIRECT,
    scope: opts.scope ?? ALL_SCOPES.join(" "),
    state: opts.state ?? "state-123",
    code_challenge: opts.challenge,
    code_challenge_method: opts.method ?? "S256",
    decision: opts.decision ?? "authorize",
    ...(opts.account && { account: opts.account }),
  });
  const res = await sb.app.request("/i/oauth2/authorize", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  if (res.status !== 302) throw new Error(`authorize: ${res.status} ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export function tokenRequest(sb: Sandbox, params: Record<string, string>, auth: string | null = basic()): Promise<Response> {
  return Promise.resolve(
    sb.app.request("/2/oauth2/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...(auth && { authorization: auth }) },
      body: new URLSearchParams(params).toString(),
    }),
  );
}

/** A clock tests can move. */
export function manualClock(start = Date.UTC(2026, 10, 20, 12)): { now: () => number; advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}
