import { execFile } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DEV_NEXTAUTH_SECRET, DEV_TOKEN_KEY } from "~/lib/dev-secrets";
import { ROOT } from "~/testing/node-process";

/** Runs one of our entry points as production would start it; resolves with its exit code and output. */
function start(entry: string, env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith("VITEST") && !k.startsWith("X_") && !k.startsWith("ALLOW_") && k !== "NODE_OPTIONS",
    ),
  );
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", entry],
      { cwd: ROOT, env: { ...inherited, NODE_ENV: "production", PORT: "0", WORKER_PORT: "0", ...env }, timeout: 60_000 },
      (_err, stdout, stderr) => resolve({ code: child.exitCode, out: stdout + stderr }),
    );
  });
}

const unsafe = {
  NEXTAUTH_SECRET: DEV_NEXTAUTH_SECRET,
  TOKEN_ENCRYPTION_KEY: DEV_TOKEN_KEY,
  NEXTAUTH_URL: "http://bookmarks.example.org",
};

describe("production refuses unsafe configuration (real processes)", () => {
  for (const [name, entry] of [
    ["worker", "worker/main.ts"],
    ["web", "src/server/main.ts"],
  ] as const) {
    it(`the ${name} exits 1 with one message naming each problem`, async () => {
      const { code, out } = await start(entry, unsafe);
      expect(code, out).toBe(1);
      expect(out.match(/Invalid environment variables/g)).toHaveLength(1);
      expect(out).toMatch(/NEXTAUTH_SECRET: is the published development value/);
      expect(out).toMatch(/TOKEN_ENCRYPTION_KEY: is the published development value/);
      expect(out).toMatch(/NEXTAUTH_URL: must be https:\/\//);
      expect(out).toMatch(/X_CLIENT_ID \/ X_CLIENT_SECRET: are required in production/);
      // A configuration message, not a crash.
      expect(out).not.toMatch(/\n\s+at .*:\d+:\d+/);
    }, 90_000);
  }

  it("a weak key and a sandbox on a public URL are refused too", async () => {
    const { code, out } = await start("worker/main.ts", {
      NEXTAUTH_SECRET: "abcdabcdabcdabcdabcdabcdabcdabcdabcd",
      TOKEN_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      NEXTAUTH_URL: "http://10.1.2.3:3000",
      ALLOW_INSECURE_HTTP: "true",
      ALLOW_X_SANDBOX: "true",
    });
    expect(code, out).toBe(1);
    expect(out).toMatch(/NEXTAUTH_SECRET: is weak/);
    expect(out).toMatch(/TOKEN_ENCRYPTION_KEY: is weak/);
    expect(out).toMatch(/ALLOW_X_SANDBOX: the X sandbox is for tests on this machine/);
    expect(out).not.toMatch(/- NEXTAUTH_URL:/); // http is allowed by ALLOW_INSECURE_HTTP
  }, 90_000);
});
