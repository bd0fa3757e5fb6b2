/**
 * X's OAuth 2.0 Authorization Code flow with PKCE: the consent page (GET/POST
 * /i/oauth2/authorize), the token endpoint (authorization_code, refresh_token with rotation)
 * and revocation. Errors use X's shape: `{ "error": "invalid_request", "error_description": "…" }`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import { renderConsentPage, renderErrorPage } from "./consent-page";
import { isKnownScope } from "./scopes";
import type { SandboxStore } from "./store";

export interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  state: string;
  codeChallenge: string;
  method: "S256" | "plain";
}

type Checked =
  | { ok: true; request: AuthorizeRequest }
  /** Shown on the page: never redirect to an unverified client or redirect URI. */
  | { ok: false; page: string }
  | { ok: false; redirect: string };

const AUTH_FIELDS = ["response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method"] as const;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** Loopback redirect URIs only (any port, any path), http or https. */
export function isAllowedRedirectUri(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return (u.protocol === "http:" || u.protocol === "https:") && LOOPBACK.has(u.hostname) && !u.hash && !u.username && !u.password;
}

export function withParams(redirectUri: string, params: Record<string, string | undefined>): string {
  const u = new URL(redirectUri);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) u.searchParams.set(k, v);
  return u.toString();
}

/** PKCE: S256 compares base64url(sha256(verifier)) with the challenge; plain compares them as they are. */
export function verifyPkce(verifier: string, challenge: string, method: "S256" | "plain"): boolean {
  const derived = method === "S256" ? createHash("sha256").update(verifier).digest("base64url") : verifier;
  const a = Buffer.from(derived);
  const b = Buffer.from(challenge);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function checkAuthorize(store: SandboxStore, p: Record<string, string | undefined>): Checked {
  const { clientId } = store.options;
  if (!p.client_id || p.client_id !== clientId) {
    return { ok: false, page: "The client_id is missing or not registered with this X sandbox." };
  }
  if (!p.redirect_uri || !isAllowedRedirectUri(p.redirect_uri)) {
    return {
      ok: false,
      page: "The redirect_uri is missing or not allowed. The sandbox accepts loopback callback URLs: http://127.0.0.1:*, http://localhost:* or http://[::1]:*.",
    };
  }
  const redirectUri = p.redirect_uri;
  const fail = (error: string, description: string) => ({
    ok: false as const,
    redirect: withParams(redirectUri, { error, error_description: description, state: p.state }),
  });
  if (p.response_type !== "code") return fail("unsupported_response_type", "response_type must be code");
  if (!p.state) return fail("invalid_request", "Missing required parameter [state].");
  if (p.state.length > 500) return fail("invalid_request", "The state parameter must be at most 500 characters.");
  if (!p.scope) return fail("invalid_request", "Missing required parameter [scope].");
  const scopes = [...new Set(p.scope.split(/[ +]+/).filter(Boolean))];
  const unknown = scopes.filter((s) => !isKnownScope(s));
  if (unknown.length) return fail("invalid_scope", `Unknown scope: ${unknown.join(" ")}`);
  if (!p.code_challenge) return fail("invalid_request", "Missing required parameter [code_challenge].");
  if (!/^[A-Za-z0-9\-._~]{1,128}$/.test(p.code_challenge)) return fail("invalid_request", "The code_challenge is not valid.");
  const method = p.code_challenge_method ?? "plain";
  if (method !== "S256" && method !== "plain") return fail("invalid_request", "code_challenge_method must be S256 or plain.");
  return { ok: true, request: { clientId, redirectUri, scopes, state: p.state, codeChallenge: p.code_challenge, method } };
}

function oauthError(c: Context, status: 400 | 401, error: string, description: string): Response {
  return c.json({ error, error_description: description }, status, { "cache-control": "no-store" });
}

async function readForm(c: Context): Promise<URLSearchParams> {
  return new URLSearchParams(await c.req.text());
}

/** Confidential client (HTTP Basic) or public client (client_id in the body). */
function authenticateClient(c: Context, store: SandboxStore, body: URLSearchParams): string | Response {
  const { clientId, clientSecret } = store.options;
  const header = c.req.header("authorization") ?? "";
  const basic = /^basic\s+(\S+)$/i.exec(header);
  const bodyClient = body.get("client_id");
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const i = decoded.indexOf(":");
    let id = "";
    let secret = "";
    try {
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    } catch {
      // not URL-encoded text
    }
    if (i < 0 || id !== clientId || secret !== clientSecret || (bodyClient !== null && bodyClient !== clientId)) {
      return oauthError(c, 401, "unauthorized_client", "Missing valid authorization header");
    }
    return clientId;
  }
  if (bodyClient === clientId) return clientId;
  return oauthError(c, 401, "unauthorized_client", "Missing valid authorization header");
}

export function oauthRoutes(store: SandboxStore): Hono {
  const app = new Hono();

  const html = (c: Context, body: string, status: 200 | 400 = 200) =>
    c.html(body, status, {
      "cache-control": "no-store",
      "x-frame-options": "DENY",
      "content-security-policy": "default-src 'none'; img-src * data:; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'",
      "referrer-policy": "no-referrer",
    });

  app.get("/i/oauth2/authorize", (c) => {
    const params = Object.fromEntries(AUTH_FIELDS.map((k) => [k, c.req.query(k)]));
    const checked = checkAuthorize(store, params);
    if (!checked.ok) return "page" in checked ? html(c, renderErrorPage(checked.page), 400) : c.redirect(checked.redirect, 302);
    return html(c, renderConsentPage(store, checked.request, params));
  });

  app.post("/i/oauth2/authorize", async (c) => {
    const form = await readForm(c);
    const params = Object.fromEntries(AUTH_FIELDS.map((k) => [k, form.get(k) ?? undefined]));
    const checked = checkAuthorize(store, params);
    if (!checked.ok) return "page" in checked ? html(c, renderErrorPage(checked.page), 400) : c.redirect(checked.redirect, 302);
    const req = checked.request;
    if (form.get("decision") !== "authorize") {
      return c.redirect(withParams(req.redirectUri, { error: "access_denied", state: req.state }), 302);
    }
    const account = store.account(form.get("account") ?? "");
    if (!account) return html(c, renderConsentPage(store, req, params, "Choose one of the test accounts to continue."), 400);
    const code = store.createCode({
      clientId: req.clientId,
      userId: account.id,
      redirectUri: req.redirectUri,
      scopes: req.scopes,
      challenge: req.codeChallenge,
      method: req.method,
    });
    return c.redirect(withParams(req.redirectUri, { state: req.state, code }), 302);
  });

  app.post("/2/oauth2/token", async (c) => {
    const body = await readForm(c);
    const client = authenticateClient(c, store, body);
    if (client instanceof Response) return client;
    const grant = body.get("grant_type");

    if (grant === "authorization_code") {
      const code = body.get("code");
      if (!code) return oauthError(c, 400, "invalid_request", "Missing required parameter [code].");
      const rec = store.codes.get(code);
      if (!rec || rec.used || store.now() >= rec.expiresAt || rec.clientId !== client) {
        return oauthError(c, 400, "invalid_request", "Value passed for the authorization code was invalid.");
      }
      const redirectUri = body.get("redirect_uri");
      if (!redirectUri) return oauthError(c, 400, "invalid_request", "Missing required parameter [redirect_uri].");
      if (redirectUri !== rec.redirectUri) {
        return oauthError(c, 400, "invalid_request", "Value passed for the redirect uri did not match the uri of the authorization code.");
      }
      const verifier = body.get("code_verifier");
      if (!verifier) return oauthError(c, 400, "invalid_request", "Missing required parameter [code_verifier].");
      if (!verifyPkce(verifier, rec.challenge, rec.method)) {
        return oauthError(c, 400, "invalid_request", "Value passed for the code verifier did not match the code challenge.");
      }
      if (!store.users.has(rec.userId))
        return oauthError(c, 400, "invalid_request", "Value passed for the authorization code was invalid.");
      rec.used = true;
      return c.json(store.issueTokens(rec.userId, client, rec.scopes), 200, { "cache-control": "no-store" });
    }

    if (grant === "refresh_token") {
      const refresh = body.get("refresh_token");
      if (!refresh) return oauthError(c, 400, "invalid_request", "Missing required parameter [refresh_token].");
      const answer = store.rotate(refresh, client);
      if (!answer) return oauthError(c, 400, "invalid_request", "Value passed for the token was invalid.");
      return c.json(answer, 200, { "cache-control": "no-store" });
    }

    if (!grant) return oauthError(c, 400, "invalid_request", "Missing required parameter [grant_type].");
    return oauthError(c, 400, "unsupported_grant_type", `grant_type ${grant} is not supported.`);
  });

  app.post("/2/oauth2/revoke", async (c) => {
    const body = await readForm(c);
    const client = authenticateClient(c, store, body);
    if (client instanceof Response) return client;
    const value = body.get("token");
    if (!value) return oauthError(c, 400, "invalid_request", "Missing required parameter [token].");
    store.revoke(value, client);
    return c.json({ revoked: true });
  });

  return app;
}
