/**
 * Database errors worth a short retry: lost connections, serialization failures and deadlocks,
 * the server shutting down or out of connections. Anything else (a constraint, a bug) is not.
 */
const TRANSIENT_SQLSTATES = new Set(["40001", "40P01", "53300", "57P01", "57P02", "57P03", "55P03"]);
const TRANSIENT_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"]);

export function isTransientDbError(e: unknown): boolean {
  if (!e || typeof e !== "object") return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === "string") {
    if (TRANSIENT_SQLSTATES.has(code) || code.startsWith("08") || TRANSIENT_NODE_CODES.has(code)) return true;
  }
  const message = (e as { message?: unknown }).message;
  return typeof message === "string" && /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}
