import { describe, expect, it } from "vitest";
import { SEEDED_ACCOUNTS } from "./data";
import { verifyPkce } from "./oauth";
import {
  ALL_SCOPES,
  apiGet,
  authorize,
  basic,
  CLIENT_ID,
  createUser,
  manualClock,
  mint,
  pkcePair,
  REDIRECT,
  sandbox,
  tokenRequest,
  type Tokens,
} from "./test-utils";

const DEMO = SEEDED_ACCOUNTS[0]!.id;

function authorizeUrl(params: Record<string, string>): string {
  return `/i/oauth2/authorize?${new URLSearchParams({
    response_type: "code",
    client_id: CLIENT_ID,
    redirect_uri: REDIRECT,
    scope: ALL_SCOPES.join(" "),
    state: "s1",
    code_challenge: "a".repeat(43),
    code_challenge_method: "S256",
    ...params,
  })}`;
}

async function exchange(
  sb: ReturnType<typeof sandbox>,
  code: string,
  verifier: string,
  extra: Record<string, string> = {},
  auth: string | null = basic(),
) {
  return tokenRequest(sb, { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: verifier, ...extra }, auth);
}

describe("PKCE", () => {
  it("S256 accepts base64url(sha256(verifier)) and rejects anything else", () => {
    const { verifier, challenge } = pkcePair();
    expect(verifyPkce(verifier, challenge, "S256")).toBe(true);
    expect(verifyPkce(`${verifier}x`, challenge, "S256")).toBe(false);
    expect(verifyPkce(challenge, challenge, "S256")).toBe(false);
    expect(verifyPkce("plain-verifier", "plain-verifier", "plain")).toBe(true);
    expect(verifyPkce("plain-verifier", "other", "plain")).toBe(false);
  });
});

describe("consent page", () => {
  it("shows the app, the scopes in plain words, the test accounts (demo preselected) and both buttons", async () => {
    const sb = sandbox();
    const created = await createUser(sb, "page_viewer", 3);
    const res = await sb.app.request(authorizeUrl({}));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain("X Bookmarker (sandbox)");
    expect(html).toContain("Read posts you&#39;ve bookmarked");
    expect(html).toContain("not x.com");
    expect(html).toMatch(/<button[^>]*value="authorize"[^>]*>Authorize app<\/button>/);
    expect(html).toMatch(/<button[^>]*value="cancel"[^>]*>Cancel<\/button>/);
    expect(html).toMatch(new RegExp(`value="${DEMO}" checked`));
    expect(html).toContain("@demo");
    expect(html).toContain("@hana_dev");
    expect(html).toContain(`value="${created}"`);
    expect(html).toContain('<form method="post" action="/i/oauth2/authorize">');
    expect(html).not.toContain("<script");
  });

  it("renders an error page (never a redirect) for an unknown client or a non-loopback redirect URI", async () => {
    const sb = sandbox();
    const cases: Record<string, string>[] = [
      { client_id: "someone-else" },
      { redirect_uri: "https://evil.example.com/cb" },
      { redirect_uri: "not a url" },
    ];
    for (const params of cases) {
      const res = await sb.app.request(authorizeUrl(params));
      expect(res.status).toBe(400);
      expect(res.headers.get("location")).toBeNull();
      expect(await res.text()).toContain("Something went wrong");
    }
  });

  it("accepts any loopback redirect URI", async () => {
    const sb = sandbox();
    for (const redirect_uri of ["http://localhost:5173/x", "http://[::1]:3000/cb", "http://127.0.0.1:1/a/b?c=d"]) {
      expect((await sb.app.request(authorizeUrl({ redirect_uri }))).status).toBe(200);
    }
  });

  it("redirects other errors back to the app with error and state", async () => {
    const sb = sandbox();
    const cases: [Record<string, string>, string][] = [
      [{ code_challenge: "" }, "invalid_request"],
      [{ scope: "tweet.read telepathy.read" }, "invalid_scope"],
      [{ response_type: "token" }, "unsupported_response_type"],
      [{ code_challenge_method: "S512" }, "invalid_request"],
    ];
    for (const [params, error] of cases) {
      const res = await sb.app.request(authorizeUrl(params));
      expect(res.status).toBe(302);
      const loc = new URL(res.headers.get("location")!);
      expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
      expect(loc.searchParams.get("error")).toBe(error);
      expect(loc.searchParams.get("state")).toBe("s1");
    }
  });

  it("Cancel sends the user back with error=access_denied and the state", async () => {
    const sb = sandbox();
    const loc = await authorize(sb, { decision: "cancel", challenge: pkcePair().challenge, state: "xyz" });
    expect(loc.searchParams.get("error")).toBe("access_denied");
    expect(loc.searchParams.get("state")).toBe("xyz");
    expect(loc.searchParams.get("code")).toBeNull();
  });
});

describe("authorization code + PKCE", () => {
  it("runs the whole flow: consent, code, token (Basic auth), then the API as the chosen account", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const loc = await authorize(sb, { account: DEMO, challenge, state: "st" });
    expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
    expect([...loc.searchParams.keys()]).toEqual(["state", "code"]);
    expect(loc.searchParams.get("state")).toBe("st");

    const res = await exchange(sb, loc.searchParams.get("code")!, verifier);
    expect(res.status).toBe(200);
    const t = (await res.json()) as Tokens;
    expect(t).toMatchObject({ token_type: "bearer", expires_in: 7200, scope: ALL_SCOPES.join(" ") });
    expect(t.access_token).toEqual(expect.any(String));
    expect(t.refresh_token).toEqual(expect.any(String));

    const me = await apiGet(sb, "/2/users/me", t.access_token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ data: { id: DEMO, name: "Demo User", username: "demo" } });
  });

  it("accepts a public client (client_id in the body) and the client_id alongside Basic", async () => {
    const sb = sandbox();
    for (const auth of [null, basic()]) {
      const { verifier, challenge } = pkcePair();
      const loc = await authorize(sb, { account: DEMO, challenge });
      const res = await exchange(sb, loc.searchParams.get("code")!, verifier, { client_id: CLIENT_ID }, auth);
      expect(res.status).toBe(200);
    }
  });

  it("rejects a wrong verifier (S256 and plain) and accepts the right one", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const loc = await authorize(sb, { account: DEMO, challenge });
    const code = loc.searchParams.get("code")!;
    const wrong = await exchange(sb, code, pkcePair().verifier);
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toMatchObject({ error: "invalid_request", error_description: expect.any(String) });
    expect((await exchange(sb, code, challenge)).status).toBe(400); // the challenge itself is not the verifier
    expect((await exchange(sb, code, verifier)).status).toBe(200);

    const plain = "this-is-a-plain-verifier-of-enough-length-0123456789";
    const loc2 = await authorize(sb, { account: DEMO, challenge: plain, method: "plain" });
    const code2 = loc2.searchParams.get("code")!;
    expect((await exchange(sb, code2, `${plain}-nope`)).status).toBe(400);
    expect((await exchange(sb, code2, plain)).status).toBe(200);
  });

  it("codes are single use", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(sb, { account: DEMO, challenge })).searchParams.get("code")!;
    expect((await exchange(sb, code, verifier)).status).toBe(200);
    const again = await exchange(sb, code, verifier);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: "invalid_request",
      error_description: "Value passed for the authorization code was invalid.",
    });
  });

  it("codes expire after 30 seconds", async () => {
    const clock = manualClock();
    const sb = sandbox({ now: clock.now });
    const a = pkcePair();
    const b = pkcePair();
    const codeA = (await authorize(sb, { account: DEMO, challenge: a.challenge })).searchParams.get("code")!;
    const codeB = (await authorize(sb, { account: DEMO, challenge: b.challenge })).searchParams.get("code")!;
    clock.advance(29_999);
    expect((await exchange(sb, codeA, a.verifier)).status).toBe(200);
    clock.advance(2);
    expect((await exchange(sb, codeB, b.verifier)).status).toBe(400);
  });

  it("the redirect_uri must match the one the code was issued for", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(sb, { account: DEMO, challenge })).searchParams.get("code")!;
    expect((await exchange(sb, code, verifier, { redirect_uri: "http://127.0.0.1:3000/other" })).status).toBe(400);
  });

  it("bad client authentication is 401 unauthorized_client", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(sb, { account: DEMO, challenge })).searchParams.get("code")!;
    for (const auth of [basic(CLIENT_ID, "wrong"), basic("other", "x"), null]) {
      const res = await exchange(sb, code, verifier, {}, auth);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: "unauthorized_client" });
    }
  });

  it("issues no refresh token without offline.access", async () => {
    const sb = sandbox();
    const { verifier, challenge } = pkcePair();
    const code = (await authorize(sb, { account: DEMO, challenge, scope: "tweet.read users.read bookmark.read" })).searchParams.get(
      "code",
    )!;
    const t = (await (await exchange(sb, code, verifier)).json()) as Tokens;
    expect(t.scope).toBe("tweet.read users.read bookmark.read");
    expect(t).not.toHaveProperty("refresh_token");
    expect(Object.keys(await mint(sb, DEMO, ["tweet.read", "users.read"]))).not.toContain("refresh_token");
  });
});

describe("refresh, expiry and revocation", () => {
  it("rotates refresh tokens: the old one stops working at once, the new one works", async () => {
    const sb = sandbox();
    const first = await mint(sb, DEMO);
    const refresh = (token: string) => tokenRequest(sb, { grant_type: "refresh_token", refresh_token: token });
    const r1 = await refresh(first.refresh_token!);
    expect(r1.status).toBe(200);
    const second = (await r1.json()) as Tokens;
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.scope).toBe(first.scope);

    const reuse = await refresh(first.refresh_token!);
    expect(reuse.status).toBe(400);
    expect(await reuse.json()).toEqual({ error: "invalid_request", error_description: "Value passed for the token was invalid." });
    expect((await refresh(second.refresh_token!)).status).toBe(200);
    // The old access token keeps working until it expires.
    expect((await apiGet(sb, "/2/users/me", first.access_token)).status).toBe(200);
  });

  it("access tokens expire after tokenTtlSeconds", async () => {
    const clock = manualClock();
    const sb = sandbox({ now: clock.now, tokenTtlSeconds: 60 });
    const t = await mint(sb, DEMO);
    expect(t.expires_in).toBe(60);
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(200);
    clock.advance(60_000);
    const res = await apiGet(sb, "/2/users/me", t.access_token);
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(await res.json()).toEqual({ title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" });
    // The refresh token still works and brings a fresh access token.
    const r = await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: t.refresh_token! });
    const fresh = (await r.json()) as Tokens;
    expect((await apiGet(sb, "/2/users/me", fresh.access_token)).status).toBe(200);
  });

  it("revokes access and refresh tokens", async () => {
    const sb = sandbox();
    const t = await mint(sb, DEMO);
    const revoke = (token: string, hint: string) =>
      sb.app.request("/2/oauth2/revoke", {
        method: "POST",
        headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token, token_type_hint: hint }).toString(),
      });
    const r = await revoke(t.access_token, "access_token");
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ revoked: true });
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(401);

    expect((await revoke(t.refresh_token!, "refresh_token")).status).toBe(200);
    expect((await tokenRequest(sb, { grant_type: "refresh_token", refresh_token: t.refresh_token! })).status).toBe(400);
  });
});
