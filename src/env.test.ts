import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";
import { DEV_NEXTAUTH_SECRET, DEV_TOKEN_KEY } from "./lib/dev-secrets";
import { entropyBits, MIN_SECRET_BITS } from "./lib/production-config";

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
    expect(parseEnv(production).NODE_ENV).toBe("production");
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

/** A safe production configuration (random secrets, https, real X credentials). */
const production = {
  ...valid,
  NODE_ENV: "production",
  NEXTAUTH_SECRET: "q3Vh0k9pZr2M7xLw4TnB8sYc1DfGjHa6UeKiOoPlQmR5",
  TOKEN_ENCRYPTION_KEY: "c1f0a39b7e24d6580fa1b2c3d4e5f60718293a4b5c6d7e8f9012ab34cd56ef78",
  NEXTAUTH_URL: "https://bookmarks.example.org",
  X_CLIENT_ID: "client-id",
  X_CLIENT_SECRET: "client-secret",
};

describe("production refuses unsafe configuration", () => {
  it("accepts a safe configuration", () => {
    const env = parseEnv(production);
    expect(env).toMatchObject({ NODE_ENV: "production", ALLOW_INSECURE_HTTP: false, ALLOW_X_SANDBOX: false });
  });

  it("names every problem in one message: published dev secrets, http, no X credentials", () => {
    const msg = messageOf({
      ...valid,
      NODE_ENV: "production",
      NEXTAUTH_SECRET: DEV_NEXTAUTH_SECRET,
      TOKEN_ENCRYPTION_KEY: DEV_TOKEN_KEY,
      NEXTAUTH_URL: "http://bookmarks.example.org",
    });
    expect(msg.match(/^Invalid environment variables/gm)).toHaveLength(1);
    expect(msg).toMatch(/NEXTAUTH_SECRET: is the published development value/);
    expect(msg).toMatch(/TOKEN_ENCRYPTION_KEY: is the published development value/);
    expect(msg).toMatch(/NEXTAUTH_URL: must be https:\/\//);
    expect(msg).toMatch(/X_CLIENT_ID \/ X_CLIENT_SECRET: are required in production/);
    expect(msg).not.toMatch(/at .*\.ts:\d+/);
  });

  it("refuses the dev key however it is encoded, and weak secrets and keys", () => {
    const devKeyHex = Buffer.from(DEV_TOKEN_KEY, "base64").toString("hex");
    expect(messageOf({ ...production, TOKEN_ENCRYPTION_KEY: devKeyHex })).toMatch(
      /TOKEN_ENCRYPTION_KEY: is the published development value/,
    );
    for (const weak of [Buffer.alloc(32, 7).toString("base64"), Buffer.from("correct-horse-battery-staple-32b").toString("base64")]) {
      expect(messageOf({ ...production, TOKEN_ENCRYPTION_KEY: weak })).toMatch(/TOKEN_ENCRYPTION_KEY: is weak/);
    }
    for (const weak of ["x".repeat(40), "test-secret-test-secret-test-secret-0123", "abcdabcdabcdabcdabcdabcdabcdabcd"]) {
      expect(messageOf({ ...production, NEXTAUTH_SECRET: weak })).toMatch(/NEXTAUTH_SECRET: is weak/);
    }
    expect(messageOf({ ...production, NEXTAUTH_SECRET: "short" })).toMatch(/NEXTAUTH_SECRET: must be at least 32 characters/);
  });

  it("scores generated secrets well above the bar", () => {
    // `openssl rand -base64 32` and `-hex 32` outputs (fixed examples).
    expect(entropyBits("q3Vh0k9pZr2M7xLw4TnB8sYc1DfGjHa6UeKiOoPlQmR5")).toBeGreaterThan(MIN_SECRET_BITS + 50);
    expect(entropyBits("c1f0a39b7e24d6580fa1b2c3d4e5f60718293a4b5c6d7e8f9012ab34cd56ef78")).toBeGreaterThan(MIN_SECRET_BITS + 50);
    expect(entropyBits("")).toBe(0);
  });

  it("wants NEXTAUTH_URL, https unless ALLOW_INSECURE_HTTP=true (a LAN)", () => {
    expect(messageOf({ ...production, NEXTAUTH_URL: undefined })).toMatch(/NEXTAUTH_URL: is required in production/);
    expect(messageOf({ ...production, NEXTAUTH_URL: "http://192.168.1.10:3000" })).toMatch(/ALLOW_INSECURE_HTTP=true/);
    expect(parseEnv({ ...production, NEXTAUTH_URL: "http://192.168.1.10:3000", ALLOW_INSECURE_HTTP: "true" }).ALLOW_INSECURE_HTTP).toBe(
      true,
    );
    expect(messageOf({ ...production, ALLOW_INSECURE_HTTP: "yes" })).toMatch(/ALLOW_INSECURE_HTTP: must be true or false/);
  });

  it("uses the X sandbox only with ALLOW_X_SANDBOX=true and a loopback NEXTAUTH_URL (the e2e suite's set-up)", () => {
    const sandboxed = {
      ...production,
      X_CLIENT_ID: undefined,
      X_CLIENT_SECRET: undefined,
      ALLOW_INSECURE_HTTP: "true",
      ALLOW_X_SANDBOX: "true",
    };
    expect(parseEnv({ ...sandboxed, NEXTAUTH_URL: "http://127.0.0.1:3110" }).ALLOW_X_SANDBOX).toBe(true);
    expect(parseEnv({ ...sandboxed, NEXTAUTH_URL: "http://localhost:3110" }).ALLOW_X_SANDBOX).toBe(true);
    expect(messageOf({ ...sandboxed, NEXTAUTH_URL: "http://192.168.1.10:3000" })).toMatch(
      /ALLOW_X_SANDBOX: the X sandbox is for tests on this machine/,
    );
    expect(messageOf({ ...sandboxed, NEXTAUTH_URL: "https://bookmarks.example.org" })).toMatch(/ALLOW_X_SANDBOX: .*loopback/);
    expect(messageOf({ ...sandboxed, NEXTAUTH_URL: "http://127.0.0.1:3110", X_CLIENT_ID: "a", X_CLIENT_SECRET: "b" })).toMatch(
      /ALLOW_X_SANDBOX: set, but so are X_CLIENT_ID/,
    );
    // Such a run holds no real X tokens: the published development secrets are accepted there
    // (dev:cluster), weak ones are not; anywhere else they are refused.
    const devSecrets = { NEXTAUTH_SECRET: DEV_NEXTAUTH_SECRET, TOKEN_ENCRYPTION_KEY: DEV_TOKEN_KEY };
    expect(parseEnv({ ...sandboxed, ...devSecrets, NEXTAUTH_URL: "http://127.0.0.1:3110" }).NODE_ENV).toBe("production");
    expect(messageOf({ ...sandboxed, ...devSecrets, NEXTAUTH_URL: "http://10.0.0.2:3110" })).toMatch(
      /NEXTAUTH_SECRET: is the published development value/,
    );
    expect(
      messageOf({ ...sandboxed, NEXTAUTH_URL: "http://127.0.0.1:3110", TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("hex") }),
    ).toMatch(/TOKEN_ENCRYPTION_KEY: is weak/);
  });

  it("refuses SKIP_ENV_VALIDATION in production (it would drop every cap), whatever its value", () => {
    for (const v of ["1", "true", "false", "0"]) {
      expect(messageOf({ ...production, SKIP_ENV_VALIDATION: v })).toMatch(/SKIP_ENV_VALIDATION: is refused in production/);
    }
    expect(parseEnv({ ...production, SKIP_ENV_VALIDATION: "" }).MAX_BODY_BYTES).toBe(1_048_576);
    // Tests and the build may still skip it.
    expect(() => parseEnv({ NODE_ENV: "test", SKIP_ENV_VALIDATION: "1" })).not.toThrow();
    expect(() => parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build", SKIP_ENV_VALIDATION: "1" })).not.toThrow();
  });

  it("reports unsafe values together with missing ones, and leaves development and the build alone", () => {
    const msg = messageOf({ ...production, DATABASE_URL: undefined, NEXTAUTH_SECRET: DEV_NEXTAUTH_SECRET });
    expect(msg).toMatch(/DATABASE_URL: .*required/);
    expect(msg).toMatch(/NEXTAUTH_SECRET: is the published development value/);
    expect(parseEnv({ ...valid, NEXTAUTH_URL: "http://example.org" }).NODE_ENV).toBe("development");
    expect(parseEnv({ NODE_ENV: "production", NEXT_PHASE: "phase-production-build" }).NODE_ENV).toBe("production");
  });
});
