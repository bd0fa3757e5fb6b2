/**
 * Makes a user an admin, or no longer one, by X handle:
 *
 *   npm run admin:grant -- @handle            grant
 *   npm run admin:grant -- @handle --revoke   revoke
 *
 * Uses the same database as `npm run dev` (DATABASE_URL from the environment or .env, else the
 * local PostgreSQL found or started the same way). The user must have logged in with X once.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { ensurePostgres, ROOT, SetupError } from "./services";

const USAGE = "usage: npm run admin:grant -- @handle [--revoke]";

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const revoke = args.includes("--revoke");
  const unknown = args.filter((a) => a.startsWith("--") && a !== "--revoke");
  const handles = args.filter((a) => !a.startsWith("--"));
  if (unknown.length > 0 || handles.length !== 1) {
    console.error(unknown.length ? `unknown option ${unknown.join(", ")}\n${USAGE}` : USAGE);
    return 1;
  }
  if (existsSync(path.join(ROOT, ".env"))) process.loadEnvFile(path.join(ROOT, ".env"));
  const pgService = await ensurePostgres({ url: process.env.DATABASE_URL, log: (m) => console.error(m) });
  process.env.DATABASE_URL = pgService.url;
  // Loaded only now: the app's modules read (and validate) the environment when imported.
  const [{ env }, { closeDb, db }, { setRoleByHandle }, { publishSessionsChanged }, { Redis }] = await Promise.all([
    import("~/env"),
    import("~/server/db"),
    import("~/server/admin/grant"),
    import("~/server/session-events"),
    import("ioredis"),
  ]);
  // Tells the web processes, so the user's open sockets and admin pages re-check at once. One
  // quick try: an unreachable Redis must not hold up (or fail) the grant itself.
  const redis = new Redis(env.REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  const roleChanged = async (userId: string) => {
    await redis.connect();
    await publishSessionsChanged(redis, userId);
  };
  try {
    const r = await setRoleByHandle(db, handles[0]!, revoke ? "USER" : "ADMIN", env.ADMIN_HANDLES, roleChanged);
    (r.ok ? console.log : console.error)(r.message);
    return r.ok ? 0 : 1;
  } finally {
    redis.disconnect();
    await closeDb(db);
    await pgService.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof SetupError ? e.message : e);
    process.exit(1);
  },
);
