import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { pino, stdSerializers, type DestinationStream, type LoggerOptions } from "pino";
import { env } from "~/env";

/**
 * Structured JSON logs. Tokens and secrets never reach a log line, in two layers:
 *
 * 1. pino's `redact` with the paths below (the usual places: top level and one level down,
 *    request headers);
 * 2. a scrubber that walks every logged object (any depth, arrays, Error objects and their
 *    causes) and censors the value of any key named like a secret (SECRET_KEYS, compared without
 *    case, `_` or `-`), and masks credentials inside strings: `scheme://user:password@host` in
 *    connection URLs and secret query parameters (`?code=`, `&access_token=`), in messages too.
 *
 * Lines written while serving an HTTP request carry its `reqId` (and `userId` once known) from
 * the async context that main.ts opens per request (`withLogContext`).
 */

const SECRET_KEY_NAMES = [
  "access_token",
  "refresh_token",
  "id_token",
  "accessToken",
  "refreshToken",
  "idToken",
  "token",
  "sessionToken",
  "session_token",
  "password",
  "passwd",
  "secret",
  "clientSecret",
  "client_secret",
  "authorization",
  "proxy-authorization",
  "cookie",
  "set-cookie",
  "code_verifier",
  "codeVerifier",
  "apiKey",
  "api_key",
  "x-api-key",
  "encryptionKey",
  "TOKEN_ENCRYPTION_KEY",
  "NEXTAUTH_SECRET",
  "X_CLIENT_SECRET",
];

const normalise = (key: string) => key.toLowerCase().replace(/[-_]/g, "");
/** Keys whose values are censored wherever they appear in a logged object (normalised). */
export const SECRET_KEYS: ReadonlySet<string> = new Set(SECRET_KEY_NAMES.map(normalise));

/** pino `redact` paths: the first layer (see above). */
export const REDACT_PATHS: string[] = [
  ...[
    "access_token",
    "refresh_token",
    "id_token",
    "accessToken",
    "refreshToken",
    "token",
    "sessionToken",
    "password",
    "secret",
    "clientSecret",
    "client_secret",
    "authorization",
    "cookie",
    "code_verifier",
  ].flatMap((k) => [k, `*.${k}`]),
  "req.headers.authorization",
  "req.headers.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["set-cookie"]',
];

export const CENSORED = "[redacted]";

// user:password@ (or :password@) after a URL scheme; the user name stays, the password goes.
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/?#@]*):([^\s/?#@]+)@/gi;
// OAuth and credential query parameters in URLs (the callback's code, tokens, verifiers).
const SECRET_PARAMS = /([?&](?:code|code_verifier|access_token|refresh_token|id_token|token|client_secret|password|secret)=)[^&#\s"']+/gi;

/** Masks passwords in connection URLs and secret query parameters inside any text. */
export function maskSecretsInText(text: string): string {
  if (!text.includes("://") && !text.includes("=")) return text;
  return text.replace(URL_CREDENTIALS, "$1$2:***@").replace(SECRET_PARAMS, "$1***");
}

const MAX_DEPTH = 10;

/**
 * A copy of `value` fit for a log line: secret-named keys censored, credentials in strings
 * masked, Error objects serialized (message, stack, causes, own fields) and scrubbed too.
 */
export function scrub(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === "string") return maskSecretsInText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[too deep]";
  if (seen.has(value)) return "[Circular]";
  seen.add(value);
  try {
    if (value instanceof Error) return scrubObject(stdSerializers.err(value) as object, depth, seen);
    if (Array.isArray(value)) return value.map((v) => scrub(v, depth + 1, seen));
    // Dates, Buffers, URLs and the like: what JSON.stringify would write.
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return scrub((toJSON as () => unknown).call(value), depth, seen);
    return scrubObject(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function scrubObject(obj: object, depth: number, seen: WeakSet<object>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[key] = SECRET_KEYS.has(normalise(key)) && v !== null ? CENSORED : scrub(v, depth + 1, seen);
  }
  return out;
}

/** What lines logged while serving one request carry (see main.ts). */
export interface LogContext {
  reqId: string;
  userId?: string;
}

// On globalThis: Next's bundled route handlers load their own copy of this module, and their
// lines must see the context the custom server opened.
const g = globalThis as unknown as { xbLogContext?: AsyncLocalStorage<LogContext> };
const logContext = (g.xbLogContext ??= new AsyncLocalStorage<LogContext>());

/** Runs `fn` with `ctx` attached to every line logged inside it (also after awaits). */
export function withLogContext<T>(ctx: LogContext, fn: () => T): T {
  return logContext.run(ctx, fn);
}

/** The current request's log context, if any (e.g. to record the user once known). */
export function currentLogContext(): LogContext | undefined {
  return logContext.getStore();
}

/** An incoming `x-request-id` when it is a sane token (no spaces or control characters, ≤ 128), else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const v = Array.isArray(header) ? header[0] : header;
  return v && /^[\w.:@/+=-]{1,128}$/.test(v) ? v : randomUUID();
}

export function loggerOptions(name: string, level: string): LoggerOptions {
  return {
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: CENSORED },
    // Errors are serialized (and scrubbed) in formatters.log; leave those copies alone.
    serializers: { err: (v: unknown) => (v instanceof Error ? scrub(v) : v) },
    mixin() {
      const ctx = logContext.getStore();
      return ctx ? { ...ctx } : {};
    },
    formatters: {
      log: (obj) => scrub(obj) as Record<string, unknown>,
      bindings: (bindings) => scrub(bindings) as Record<string, unknown>,
    },
    hooks: {
      // The message and its interpolation arguments: mask credentials in strings.
      logMethod(args, method) {
        for (let i = 0; i < args.length; i++) {
          if (typeof args[i] === "string") args[i] = maskSecretsInText(args[i] as string);
        }
        return method.apply(this, args);
      },
    },
  };
}

export function createLogger(name: string, level: string = env.LOG_LEVEL, destination?: DestinationStream) {
  return pino(
    {
      ...loggerOptions(name, level),
      // Readable lines while developing; JSON everywhere else.
      ...(env.NODE_ENV === "development" &&
        !destination && {
          transport: { target: "pino-pretty", options: { ignore: "pid,hostname", translateTime: "HH:MM:ss", singleLine: true } },
        }),
    },
    destination,
  );
}
