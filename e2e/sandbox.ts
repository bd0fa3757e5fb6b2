import { randomUUID } from "node:crypto";
import { SANDBOX_URL } from "../playwright.config";
import { sandboxControl } from "../src/testing/sandbox-control";

/** The X sandbox's test control API (see README: "X sandbox"). */
export const sandbox = sandboxControl(SANDBOX_URL);

export async function createXAccount(bookmarks: number) {
  const username = `e2e_${randomUUID().replace(/-/g, "").slice(0, 10)}`;
  return sandbox<{ id: string; username: string }>("POST", "/users", { username, bookmarks, name: `E2E ${username}` });
}

/** Changes an account's X handle (its old one is then free for anyone to register). */
export async function renameXAccount(id: string, username: string) {
  return sandbox<{ id: string; username: string }>("PATCH", `/users/${id}`, { username });
}

/** An X account with this exact handle. */
export async function createXAccountNamed(username: string) {
  return sandbox<{ id: string; username: string }>("POST", "/users", { username, bookmarks: 0, name: `E2E ${username}` });
}
