import { pino, type DestinationStream } from "pino";
import { env } from "~/env";

/**
 * Structured JSON logs. Tokens and secrets never reach a log line: these paths are redacted
 * wherever they appear in a logged object.
 */
export const REDACT_PATHS = [
  "access_token",
  "refresh_token",
  "id_token",
  "accessToken",
  "refreshToken",
  "authorization",
  "cookie",
  "*.access_token",
  "*.refresh_token",
  "*.id_token",
  "*.accessToken",
  "*.refreshToken",
  "*.authorization",
  "*.cookie",
  "*.headers.authorization",
  "*.headers.cookie",
  "req.headers.authorization",
  "req.headers.cookie",
  "*.clientSecret",
  "*.client_secret",
];

export function createLogger(name: string, level: string = env.LOG_LEVEL, destination?: DestinationStream) {
  return pino({
    name,
    level,
    redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    // Readable lines while developing; JSON everywhere else.
    ...(env.NODE_ENV === "development" && !destination && {
      transport: { target: "pino-pretty", options: { ignore: "pid,hostname", translateTime: "HH:MM:ss", singleLine: true } },
    }),
  }, destination);
}
