import { createEnv } from "@t3-oss/env-core";
import { z } from "zod";
import { DEV_NEXTAUTH_SECRET, DEV_TOKEN_KEY } from "./lib/dev-secrets";
import { productionProblems } from "./lib/production-config";
import { CLIENT_MAX_BATCH_ITEMS } from "./trpc/batch";

/**
 * The one place the app's configuration is read and validated (web, worker, scripts).
 * Every variable is documented in `.env.example`. Invalid or missing values stop start-up
 * with one message that names each of them.
 *
 * Secrets have fixed, public development defaults so `npm run dev` works out of the box;
 * in production they are required.
 */

export class EnvError extends Error {
  override name = "EnvError";
}

/** Accepts 32 bytes as base64 (44 chars) or hex (64 chars). */
export function decodeKey(value: string): Buffer | null {
  const v = value.trim();
  const buf = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, "hex") : Buffer.from(v, "base64");
  return buf.length === 32 ? buf : null;
}

/** An http(s) origin such as https://example.com (no path beyond "/"). */
function isWebOrigin(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === "https:" || u.protocol === "http:") && u.pathname === "/" && !u.search && !u.hash;
  } catch {
    return false;
  }
}

const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);
const positiveInt = (fallback: number, max = 10_000) => z.coerce.number().int().min(1).max(max).default(fallback);

/** A database URL for `next build`, which loads server modules but never connects. */
const BUILD_DATABASE_URL = "postgresql://build-only@127.0.0.1:5432/unused";

export function parseEnv(givenEnv: Record<string, string | undefined>) {
  // `next build` loads server modules without the runtime's secrets or database: it gets the
  // development defaults and a placeholder URL. Nothing it builds keeps them (every page is
  // dynamic); the server reads its real environment when it starts.
  const building = givenEnv.NEXT_PHASE === "phase-production-build";
  const runtimeEnv = building ? { DATABASE_URL: BUILD_DATABASE_URL, ...givenEnv } : givenEnv;
  const isProd = runtimeEnv.NODE_ENV === "production" && !building;
  const secret = (devDefault: string) => (isProd ? z.string() : z.string().default(devDefault));
  // Unsafe production settings (published or weak secrets, http, no X): reported with the rest.
  const unsafe = isProd ? productionProblems(runtimeEnv, decodeKey) : [];
  const fail = (lines: string[]) => new EnvError(`Invalid environment variables (see .env.example):\n${lines.join("\n")}`);
  const flag = z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1");

  const raw = createEnv({
    server: {
      NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
      DATABASE_URL: z
        .string({ error: "is required (e.g. postgresql://postgres@127.0.0.1:5432/xbookmarker)" })
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL"),
      /**
       * A streaming replica of DATABASE_URL for library reads that tolerate lag (db-replica.ts).
       * Unset: every read goes to DATABASE_URL.
       */
      DATABASE_REPLICA_URL: z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// URL")
        .optional(),
      /** After a write to a user's library, their reads stay on the primary this long. */
      REPLICA_AFTER_WRITE_MS: positiveInt(10_000, 600_000),
      /** A replica further behind than this is not read from. */
      REPLICA_MAX_LAG_MS: positiveInt(5_000, 600_000),
      REDIS_URL: z
        .string()
        .regex(/^rediss?:\/\//, "must be a redis:// URL")
        .default("redis://127.0.0.1:6379"),
      PORT: port(3000),
      HOST: z.string().min(1).default("127.0.0.1"),
      NEXTAUTH_URL: z.url("must be the app's public URL, e.g. http://127.0.0.1:3000").optional(),
      /** More origins (besides NEXTAUTH_URL's) whose pages may use the app: "https://a.example,https://b.example". */
      ALLOWED_ORIGINS: z
        .string()
        .default("")
        .transform((v) =>
          v
            .split(",")
            .map((o) => o.trim())
            .filter(Boolean),
        )
        .refine((list) => list.every(isWebOrigin), { message: "must be origins separated by commas, e.g. https://bookmarks.example.com" })
        .transform((list) => list.map((o) => new URL(o).origin)),
      /** Largest request body (bytes) the API reads; a bigger one is answered 413 without being read. */
      MAX_BODY_BYTES: positiveInt(1_048_576, 64 * 1_048_576),
      /** Most calls in one batched tRPC HTTP request (not below what the browser sends at once). */
      TRPC_MAX_BATCH_SIZE: positiveInt(25, 1_000).pipe(
        z.number().min(CLIENT_MAX_BATCH_ITEMS, `must be at least ${CLIENT_MAX_BATCH_ITEMS} (the browser batches that many calls)`),
      ),
      /** When set, /metrics and /api/ready are served only on this port (keep it internal). */
      METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
      NEXTAUTH_SECRET: secret(DEV_NEXTAUTH_SECRET).pipe(z.string().min(32, "must be at least 32 characters")),
      TOKEN_ENCRYPTION_KEY: secret(DEV_TOKEN_KEY).refine((v) => decodeKey(v) !== null, {
        message: "must be 32 random bytes, base64 or hex (openssl rand -base64 32)",
      }),
      X_CLIENT_ID: z.string().min(1).optional(),
      X_CLIENT_SECRET: z.string().min(1).optional(),
      X_API_URL: z.url("must be a URL such as https://api.x.com").optional(),
      X_AUTHORIZE_URL: z.url("must be a URL such as https://x.com/i/oauth2/authorize").optional(),
      X_SANDBOX_PORT: port(4010),
      X_PAGE_SIZE: z.coerce.number().int().min(1).max(100).default(90),
      X_REQUEST_TIMEOUT_MS: positiveInt(15_000, 120_000),
      SYNC_CONCURRENCY: positiveInt(3, 100),
      SYNC_QUEUE_CAP: positiveInt(100, 1_000_000),
      SYNC_LOCK_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
      X_READ_PRICE_USD: z.coerce.number().min(0).max(10).default(0.005),
      X_OWNED_READ_PRICE_USD: z.coerce.number().min(0).max(10).default(0.001),
      X_OWNED_READS: flag,
      /** Largest import file accepted (archive zip, bookmark.js, exporter JSON/CSV), in bytes. */
      IMPORT_MAX_BYTES: positiveInt(200 * 1024 * 1024, 10 * 1024 * 1024 * 1024),
      /** Most bytes read out of an archive zip's bookmark files (counted as unpacked: a zip bomb stops here). */
      IMPORT_MAX_UNZIPPED_BYTES: positiveInt(256 * 1024 * 1024, 10 * 1024 * 1024 * 1024),
      /** Most bookmarks in one import file. */
      IMPORT_MAX_ITEMS: positiveInt(250_000, 10_000_000),
      /** Production only: allow an http:// NEXTAUTH_URL (a private network; see README "Security"). */
      ALLOW_INSECURE_HTTP: flag,
      /** Production only: use the X sandbox (tests of the production build on a loopback address). */
      ALLOW_X_SANDBOX: flag,
      /** How often an open WebSocket re-checks its session (and at once on log-out or demotion). */
      WS_SESSION_CHECK_MS: z.coerce.number().int().min(1_000).max(60_000).default(60_000),
      WORKER_PORT: port(3001),
      // --- media archive (see src/server/media/) ---
      MEDIA_STORE: z.enum(["fs", "s3"], { error: "must be fs or s3" }).default("fs"),
      MEDIA_DIR: z.string().min(1).default(".data/media"),
      MEDIA_CONCURRENCY: positiveInt(4, 64),
      MEDIA_MAX_FILE_MB: positiveInt(200, 100_000),
      MEDIA_MAX_USER_MB: positiveInt(5_120, 10_000_000),
      S3_ENDPOINT: z.url("must be a URL such as https://s3.eu-central-1.amazonaws.com").optional(),
      S3_REGION: z.string().min(1).default("us-east-1"),
      S3_BUCKET: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name")
        .optional(),
      S3_ACCESS_KEY_ID: z.string().min(1).optional(),
      S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
      S3_FORCE_PATH_STYLE: z
        .enum(["true", "false", "1", "0"], { error: "must be true or false" })
        .default("true")
        .transform((v) => v === "true" || v === "1"),
      BULLMQ_PREFIX: z
        .string()
        .regex(/^[\w-]+$/, "letters, digits, - and _ only")
        .default("xb"),
      // Limits (README "Security" → "Limits"). Per user unless named per IP; shared by every web
      // process through Redis.
      RATE_LIMIT_CALLS_PER_MINUTE: positiveInt(600, 1_000_000),
      RATE_LIMIT_SYNC_STARTS_PER_HOUR: positiveInt(30, 100_000),
      RATE_LIMIT_EXPORTS_PER_HOUR: positiveInt(30, 100_000),
      RATE_LIMIT_LOGINS_PER_IP: positiveInt(100, 1_000_000),
      /** Import file uploads per user per hour (one at a time besides). */
      RATE_LIMIT_IMPORTS_PER_HOUR: positiveInt(20, 100_000),
      /** Proxies in front of the web that append to X-Forwarded-For (0: use the socket's address). */
      TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
      /** The web's Postgres statements: longer ones are cancelled (the worker has none, see db.ts). */
      DB_STATEMENT_TIMEOUT_MS: positiveInt(5_000, 600_000),
      DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: positiveInt(10_000, 600_000),
      EXPORT_MAX_ROWS: positiveInt(100_000, 10_000_000),
      EXPORT_MAX_SECONDS: positiveInt(300, 86_400),
      /** Library cache warming (src/server/library/warm.ts): warmed entries' lifetime, s. */
      CACHE_WARM_TTL_SECONDS: positiveInt(7_200, 86_400),
      /** Users a scheduled warm prepares at once, and the pause between two such batches. */
      CACHE_WARM_BATCH: positiveInt(20, 1_000),
      CACHE_WARM_BATCH_DELAY_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
      /** How long before a person's usual hour the scheduled warm prepares their library, minutes. */
      CACHE_WARM_LOOKAHEAD_MIN: positiveInt(30, 120),
      /** Answers (tRPC, exports) at least this large are compressed (brotli or gzip), bytes. */
      COMPRESS_THRESHOLD_BYTES: z.coerce.number().int().min(0).max(10_000_000).default(1_024),
      LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
      /** X user ids made admins when they log in. */
      ADMIN_X_IDS: z
        .string()
        .default("")
        .transform((v) =>
          v
            .split(",")
            .map((id) => id.trim())
            .filter(Boolean),
        )
        .refine((list) => list.every((id) => /^\d{1,20}$/.test(id)), {
          message: "must be X user ids (digits) separated by commas, e.g. 1234567890,987654321",
        }),
      /**
       * X handles (with or without @, any case) made admins at their first log-in; the X id that
       * held the handle then is stored and only it is promoted later (admin/login-admin.ts).
       */
      ADMIN_HANDLES: z
        .string()
        .default("")
        .transform((v) =>
          v
            .split(",")
            .map((h) => h.trim().replace(/^@/, "").toLowerCase())
            .filter(Boolean),
        )
        .refine((list) => list.every((h) => /^\w{1,15}$/.test(h)), {
          message: "must be X handles separated by commas, e.g. @alice,bob",
        }),
    },
    runtimeEnv,
    emptyStringAsUndefined: true,
    skipValidation: !!runtimeEnv.SKIP_ENV_VALIDATION,
    onValidationError: (issues) => {
      const lines = issues.map((i) => {
        const key = i.path?.map((p) => (typeof p === "object" ? p.key : p)).join(".") ?? "?";
        const value = runtimeEnv[String(key)];
        const problem = value === undefined && !/required/.test(i.message) ? `is required (${i.message})` : i.message;
        return `  - ${key}: ${problem}`;
      });
      throw fail([...lines, ...unsafe.map((p) => `  - ${p}`)]);
    },
  });
  if (unsafe.length > 0) throw fail(unsafe.map((p) => `  - ${p}`));

  if ((raw.X_CLIENT_ID === undefined) !== (raw.X_CLIENT_SECRET === undefined)) {
    throw fail(["  - X_CLIENT_ID / X_CLIENT_SECRET: set both (real X) or neither (local X sandbox)"]);
  }
  if (raw.MEDIA_STORE === "s3" && !raw.S3_BUCKET) {
    throw new EnvError("Invalid environment variables (see .env.example):\n  - S3_BUCKET: is required when MEDIA_STORE=s3");
  }
  if (raw.METRICS_PORT !== undefined && raw.METRICS_PORT === raw.PORT) {
    throw fail(["  - METRICS_PORT: must differ from PORT (it is the internal port for /metrics and /api/ready)"]);
  }
  return raw;
}

export type Env = ReturnType<typeof parseEnv>;

function load(): Env {
  try {
    return parseEnv(process.env);
  } catch (e) {
    if (e instanceof EnvError && typeof window === "undefined" && !process.env.VITEST) {
      // A clear message, no stack trace: this is a configuration problem, not a bug.
      console.error(`\n${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
}

export const env = load();

/**
 * For the web and worker processes: the build phase's placeholders (development secrets) must
 * never serve. Next sets NEXT_PHASE only inside `next build`; refuse to start if it leaked here.
 */
export function refuseBuildPhase(): void {
  if (process.env.NEXT_PHASE !== "phase-production-build") return;
  console.error("\nNEXT_PHASE=phase-production-build is set: that is for `next build` only. Unset it to start.\n");
  process.exit(1);
}
