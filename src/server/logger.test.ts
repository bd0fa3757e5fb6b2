import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CENSORED, createLogger, maskSecretsInText, requestIdFrom, withLogContext } from "./logger";

function capture(level = "info") {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger("test", level, stream), out: () => lines.join("") };
}

/** Every value here is a secret that must never reach the output. */
const S = (n: number) => `SECRET-${n}-zq`;

describe("logger redaction", () => {
  it("never writes tokens, cookies or client secrets", () => {
    const { lines, logger, out } = capture();
    logger.info(
      {
        access_token: "AT-secret-1",
        account: { refresh_token: "RT-secret-2", accessToken: "AT-secret-3" },
        req: { headers: { authorization: "Bearer AT-secret-4", cookie: "next-auth.session-token=S-secret-5" } },
        x: { clientSecret: "CS-secret-6" },
        userId: "u1",
      },
      "token refreshed",
    );
    for (const secret of ["AT-secret-1", "RT-secret-2", "AT-secret-3", "AT-secret-4", "S-secret-5", "CS-secret-6"]) {
      expect(out()).not.toContain(secret);
    }
    expect(out()).toContain("[redacted]");
    expect(JSON.parse(lines[0]!)).toMatchObject({ userId: "u1", msg: "token refreshed" });
  });

  it("censors every secret-named field at any depth, in arrays and in any letter case", () => {
    const { lines, logger, out } = capture();
    logger.info(
      {
        // top level and one level down: pino's redact paths
        access_token: S(1),
        refresh_token: S(2),
        id_token: S(3),
        password: S(4),
        secret: S(5),
        token: S(6),
        sessionToken: S(7),
        code_verifier: S(8),
        cookie: S(9),
        account: { access_token: S(10), refresh_token: S(11), id_token: S(12), clientSecret: S(13), client_secret: S(14) },
        // deeper than any wildcard path reaches
        a: { b: { c: { d: { e: { password: S(15), token: S(16), Authorization: `Bearer ${S(17)}` } } } } },
        // arrays, nested arrays, objects in arrays in objects
        accounts: [{ access_token: S(18) }, { refresh_token: S(19), provider: "twitter" }],
        matrix: [[{ secret: S(20) }], [{ sessionToken: S(21) }]],
        deep: { list: [{ inner: { code_verifier: S(22) } }] },
        req: {
          headers: { authorization: `Bearer ${S(23)}`, cookie: `next-auth.session-token=${S(24)}`, "set-cookie": [S(25)], host: "h" },
        },
        headers: { "Proxy-Authorization": S(26), "X-Api-Key": S(27) },
        ACCESS_TOKEN: S(28),
        config: { NEXTAUTH_SECRET: S(29), TOKEN_ENCRYPTION_KEY: S(30) },
        // not secrets: left as they are
        nextToken: "pagination-token-ok",
        provider: "twitter",
        count: 3,
      },
      "many secrets",
    );
    const text = out();
    for (let n = 1; n <= 30; n++) expect(text, `secret ${n} leaked`).not.toContain(S(n));
    const line = JSON.parse(lines[0]!);
    expect(line.a.b.c.d.e).toEqual({ password: CENSORED, token: CENSORED, Authorization: CENSORED });
    expect(line.accounts[1]).toEqual({ refresh_token: CENSORED, provider: "twitter" });
    expect(line.req.headers.host).toBe("h");
    expect(line).toMatchObject({ nextToken: "pagination-token-ok", provider: "twitter", count: 3, msg: "many secrets" });
  });

  it("censors secrets carried by errors: own fields, nested config, causes, and credentials in messages and stacks", () => {
    const { lines, logger, out } = capture();
    const cause = Object.assign(new Error(`connect to postgresql://app:${S(1)}@db.internal:5432/xb failed`), { password: S(2) });
    const err = Object.assign(new Error(`token refresh failed for redis://:${S(3)}@cache:6379/0`, { cause }), {
      access_token: S(4),
      response: { data: { refresh_token: S(5), error: "invalid_grant" } },
      config: { headers: { Authorization: `Bearer ${S(6)}` }, url: `https://api.x.com/2/oauth2/token?code=${S(7)}&state=s` },
    });
    logger.error({ err, userId: "u1" }, "refresh failed");
    logger.error(err, "as the first argument");
    logger.error({ error: err, nested: { failure: new Error(`redis://default:${S(8)}@r:6379`) } }, "under other keys");
    logger.error({ errors: [err] }, "in an array");
    const text = out();
    for (let n = 1; n <= 8; n++) expect(text, `secret ${n} leaked`).not.toContain(S(n));
    const first = JSON.parse(lines[0]!);
    expect(first.err.type).toBe("Error");
    expect(first.err.message).toContain("redis://:***@cache:6379/0");
    expect(first.err.message).toContain("postgresql://app:***@db.internal:5432/xb"); // the cause's message is appended
    expect(first.err.stack).toContain("Error: token refresh failed");
    expect(first.err.response.data.error).toBe("invalid_grant");
    expect(first.userId).toBe("u1");
    expect(JSON.parse(lines[1]!).err.access_token).toBe(CENSORED);
    expect(JSON.parse(lines[2]!).nested.failure.message).toBe("redis://default:***@r:6379");
  });

  it("masks credentials in the message and its interpolation arguments", () => {
    const { logger, out } = capture();
    logger.warn(`cannot reach postgres://xb:${S(1)}@10.0.0.5/xb`);
    logger.warn("redis at %s is down", `rediss://user:${S(2)}@redis.example:6380`);
    logger.info("callback %s", `/api/auth/callback/twitter?state=abc&code=${S(3)}`);
    const text = out();
    for (let n = 1; n <= 3; n++) expect(text, `secret ${n} leaked`).not.toContain(S(n));
    expect(text).toContain("postgres://xb:***@10.0.0.5/xb");
    expect(text).toContain("rediss://user:***@redis.example:6380");
  });

  it("censors child bindings and survives circular objects", () => {
    const { lines, logger, out } = capture();
    const child = logger.child({ jobId: "j1", token: S(1) });
    const loop: Record<string, unknown> = { name: "loop", password: S(2) };
    loop.self = loop;
    child.info({ loop }, "circular");
    const text = out();
    expect(text).not.toContain(S(1));
    expect(text).not.toContain(S(2));
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ jobId: "j1", loop: { name: "loop", self: "[Circular]" } });
  });
});

describe("log context", () => {
  it("adds the request id and user id to lines logged inside it, also after an await", async () => {
    const { lines, logger } = capture();
    const ctx = { reqId: "req-1" } as { reqId: string; userId?: string };
    await withLogContext(ctx, async () => {
      logger.info("before");
      await new Promise((r) => setTimeout(r, 1));
      ctx.userId = "user-9";
      logger.info({ extra: 1 }, "after");
    });
    logger.info("outside");
    const [before, after, outside] = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(before).toMatchObject({ reqId: "req-1", msg: "before" });
    expect(before).not.toHaveProperty("userId");
    expect(after).toMatchObject({ reqId: "req-1", userId: "user-9", extra: 1 });
    expect(outside).not.toHaveProperty("reqId");
  });

  it("keeps a sane incoming x-request-id and replaces anything else", () => {
    expect(requestIdFrom("abc-123_X.y:z")).toBe("abc-123_X.y:z");
    expect(requestIdFrom(["first", "second"])).toBe("first");
    const uuid = /^[0-9a-f-]{36}$/;
    expect(requestIdFrom(undefined)).toMatch(uuid);
    expect(requestIdFrom("")).toMatch(uuid);
    expect(requestIdFrom("has space")).toMatch(uuid);
    expect(requestIdFrom("line\nbreak")).toMatch(uuid);
    expect(requestIdFrom("x".repeat(129))).toMatch(uuid);
  });
});

describe("maskSecretsInText", () => {
  it("masks URL passwords and secret query parameters, and nothing else", () => {
    expect(maskSecretsInText("postgresql://postgres:pw@127.0.0.1:5432/xb")).toBe("postgresql://postgres:***@127.0.0.1:5432/xb");
    expect(maskSecretsInText("redis://:pw@127.0.0.1:6379/9")).toBe("redis://:***@127.0.0.1:6379/9");
    expect(maskSecretsInText("postgresql://postgres@127.0.0.1:5432/xb")).toBe("postgresql://postgres@127.0.0.1:5432/xb");
    expect(maskSecretsInText("https://x.com/cb?code=abc&state=s1")).toBe("https://x.com/cb?code=***&state=s1");
    expect(maskSecretsInText("a=b, c=d")).toBe("a=b, c=d");
    expect(maskSecretsInText("connect ECONNREFUSED 127.0.0.1:1")).toBe("connect ECONNREFUSED 127.0.0.1:1");
  });
});
