import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const valid = { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/x" };

function messageOf(raw: Record<string, string | undefined>): string {
  try {
    parseEnv(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(EnvError);
    return (e as Error).message;
  }
  throw new Error("expected parseEnv to fail");
}

describe("env validation", () => {
  it("fills development defaults", () => {
    const env = parseEnv(valid);
    expect(env.PORT).toBe(3000);
    expect(env.REDIS_URL).toBe("redis://127.0.0.1:6379");
    expect(env.X_PAGE_SIZE).toBe(90);
    expect(env.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it("names every missing or malformed variable in one message", () => {
    const msg = messageOf({ PORT: "abc", REDIS_URL: "http://nope", X_PAGE_SIZE: "500", TOKEN_ENCRYPTION_KEY: "short" });
    expect(msg).toMatch(/DATABASE_URL: .*required/);
    expect(msg).toMatch(/PORT: /);
    expect(msg).toMatch(/REDIS_URL: must be a redis:\/\/ URL/);
    expect(msg).toMatch(/X_PAGE_SIZE: /);
    expect(msg).toMatch(/TOKEN_ENCRYPTION_KEY: must be 32 random bytes/);
    expect(msg).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
  });

  it("requires the secrets in production", () => {
    const msg = messageOf({ ...valid, NODE_ENV: "production" });
    expect(msg).toMatch(/NEXTAUTH_SECRET: .*required/);
    expect(msg).toMatch(/TOKEN_ENCRYPTION_KEY: .*required/);
    const ok = parseEnv({
      ...valid,
      NODE_ENV: "production",
      NEXTAUTH_SECRET: "x".repeat(40),
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("hex"),
    });
    expect(ok.NODE_ENV).toBe("production");
  });

  it("lets `next build` load server modules without the runtime's secrets or database", () => {
    const built = parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" });
    expect(built.LOG_LEVEL).toBe("info");
    expect(built.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(built.TOKEN_ENCRYPTION_KEY).toBeTruthy();
    // A value given at build time is still checked.
    expect(messageOf({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build", PORT: "abc" })).toMatch(/PORT: /);
  });

  it("wants X credentials as a pair", () => {
    expect(messageOf({ ...valid, X_CLIENT_ID: "abc" })).toMatch(/X_CLIENT_ID \/ X_CLIENT_SECRET: set both/);
  });

  it("treats empty strings as unset", () => {
    expect(parseEnv({ ...valid, PORT: "" }).PORT).toBe(3000);
  });
});
