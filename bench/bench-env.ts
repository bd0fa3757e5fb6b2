/**
 * What every benchmark starts with: Postgres and Redis found or started, a database and a Redis
 * db of its own, and the environment the app's processes and modules run with.
 */
import { ensurePostgres, ensureRedis, redact, withDatabase } from "../scripts/services";

export async function benchServices(opts: { log: (m: string) => void; dbName: string; redisDb: number; prefix: string }) {
  const pgService = await ensurePostgres({ url: process.env.DATABASE_URL, log: opts.log });
  const redisService = await ensureRedis({ url: process.env.REDIS_URL, log: opts.log });
  const dbUrl = withDatabase(pgService.url, opts.dbName);
  const redisUrl = new URL(redisService.url);
  redisUrl.pathname = `/${opts.redisDb}`;
  opts.log(`PostgreSQL: ${pgService.source} (${redact(dbUrl)}); Redis: ${redisService.source}, database ${opts.redisDb}`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    DATABASE_URL: dbUrl,
    REDIS_URL: redisUrl.toString(),
    // Fixed, random-looking secrets (production refuses weak ones): a bench's database is its own
    // and thrown away. A bench runs the production build against the sandbox on loopback, which
    // production allows only when asked (src/lib/production-config.ts); web processes are given
    // their loopback NEXTAUTH_URL where they are started.
    NEXTAUTH_SECRET: "bN7qR2wK9xLm4TzV1cYp8HsE3jGa6UdF0oPiQw5Za",
    TOKEN_ENCRYPTION_KEY: "9e2d7c4a1b8f063527dc8ea53f71c4f9a26b8d3e5f9c1e7240b8d6f3a19c5e72",
    ALLOW_INSECURE_HTTP: "true",
    ALLOW_X_SANDBOX: "true",
    // Production mode wants a public URL; the sandbox rule accepts only loopback ones. Benches
    // that start a web process give it its own (startBenchWeb).
    NEXTAUTH_URL: "http://127.0.0.1:3000",
    BULLMQ_PREFIX: opts.prefix,
  };
  return {
    dbUrl,
    redisUrl,
    env,
    /** Stops the services this bench started (none when they were already running). */
    stop: () => Promise.allSettled([pgService.stop(), redisService.stop()]),
  };
}

/** A whole-number command-line option in [min, max]; anything else stops the bench with a message. */
export function intOption(name: string, raw: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    console.error(`bench: --${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    process.exit(2);
  }
  return n;
}
