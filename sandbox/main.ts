/**
 * `tsx sandbox/main.ts` (npm run sandbox): the X sandbox on X_SANDBOX_PORT (default 4010).
 * Settings: X_CLIENT_ID, X_CLIENT_SECRET, X_SANDBOX_PUBLIC_URL, X_SANDBOX_TOKEN_TTL,
 * X_SANDBOX_BOOKMARK_CAP, X_SANDBOX_SEED (and X_SANDBOX_HOST, default 127.0.0.1).
 */
import { createSandbox } from "./app";

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`X sandbox: ${name} must be a whole number >= 0 (got "${raw}")`);
    process.exit(1);
  }
  return n;
}

async function main() {
  const port = intEnv("X_SANDBOX_PORT", 4010);
  const host = process.env.X_SANDBOX_HOST || "127.0.0.1";
  const sandbox = createSandbox({
    publicUrl: process.env.X_SANDBOX_PUBLIC_URL || undefined,
    tokenTtlSeconds: intEnv("X_SANDBOX_TOKEN_TTL", 7200),
    bookmarkCap: intEnv("X_SANDBOX_BOOKMARK_CAP", 800),
    seed: intEnv("X_SANDBOX_SEED", 1),
  });
  const running = await sandbox.listen(port, host);
  console.log(`X sandbox listening on ${running.url}`);

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    running.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: unknown) => {
  console.error("X sandbox failed to start:", e instanceof Error ? e.message : e);
  process.exit(1);
});
