import { z } from "zod";

/**
 * A tab names itself on every call: over HTTP in this header, over WebSocket in the `clientId`
 * connection param. The server puts it on the change events of that call's library writes (as
 * `by`), so the tab can recognise its own echoes.
 */
export const CLIENT_ID_HEADER = "x-client-id";

/** An id a client sends with its calls (`tab-<uuid>`). */
export const clientIdSchema = z.string().regex(/^[\w-]{1,64}$/, "Not a client id.");

/** The client id, if `value` is a well-formed one (a malformed one is ignored, not refused). */
export function parseClientId(value: unknown): string | null {
  const r = clientIdSchema.safeParse(value);
  return r.success ? r.data : null;
}
