import type { IncomingMessage } from "node:http";

/**
 * The header the custom server (main.ts) puts the client's address in for route handlers, which
 * cannot see the socket. Whatever a client sends under this name is overwritten.
 */
export const CLIENT_IP_HEADER = "x-xb-client-ip";

/**
 * The client's address: the socket's, or with `trustedHops` proxies in front (each appending the
 * address it saw to X-Forwarded-For), the entry the outermost trusted proxy wrote. Entries left of
 * it were written by the client and prove nothing.
 */
export function clientIpOf(req: Pick<IncomingMessage, "headers" | "socket">, trustedHops: number): string {
  const socket = req.socket.remoteAddress ?? "unknown";
  if (trustedHops <= 0) return socket;
  const header = req.headers["x-forwarded-for"];
  const list = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return list[list.length - trustedHops] ?? list[0] ?? socket;
}
