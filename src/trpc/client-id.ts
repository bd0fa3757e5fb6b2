/**
 * One random id per tab (per page load), sent with every library mutation as `clientId`. The
 * server echoes it as `by` on the change it publishes, so this tab can skip its own echoes.
 */
function makeClientId(): string {
  if (typeof crypto !== "undefined" && typeof crypto.randomUUID === "function") return `tab-${crypto.randomUUID()}`;
  return `tab-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
}

export const CLIENT_ID = makeClientId();

/** The routers whose mutations take `clientId`. */
const TAGGED = ["bookmarks.", "tags.", "categories."];

export function takesClientId(path: string): boolean {
  return TAGGED.some((p) => path.startsWith(p));
}
