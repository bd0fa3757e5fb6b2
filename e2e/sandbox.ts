import { randomUUID } from "node:crypto";
import { SANDBOX_URL } from "../playwright.config";

/** The X sandbox's test control API (see README: "X sandbox"). */
export async function sandbox<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${SANDBOX_URL}/_sandbox${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export async function createXAccount(bookmarks: number) {
  const username = `e2e_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  return sandbox<{ id: string; username: string }>("POST", "/users", { username, bookmarks, name: `E2E ${username}` });
}
