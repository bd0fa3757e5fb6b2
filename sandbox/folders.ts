/**
 * Bookmark folders, as X's API has them: list a user's folders, read a folder's post ids (ids
 * only; hydrate with the posts lookup), create a folder (`bookmark.write`). X is reported to serve
 * only the ~20 newest ids of a folder and to refuse pagination there: the `folderIdsCap` fault
 * switches that on. Folders cannot be renamed or deleted through the API.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { genericProblem, invalidRequest, problemResponse } from "./problems";
import type { Endpoint, SandboxStore } from "./store";
import type { SandboxUser } from "./types";

export const FOLDER_READ_SCOPES = ["bookmark.read", "users.read"];
export const FOLDER_ITEMS_SCOPES = ["bookmark.read", "tweet.read", "users.read"];
export const FOLDER_WRITE_SCOPES = ["bookmark.write", "users.read"];
const DEFAULT_MAX_RESULTS = 100;

/** One folder: its post ids, newest added first. */
export interface SandboxFolder {
  id: string;
  name: string;
  ids: string[];
}

type Guard = (
  c: Context,
  endpoint: Endpoint,
  scopes: string[],
) => Promise<{ user: SandboxUser; headers: Record<string, string> } | Response>;

const createBody = z.strictObject({ name: z.string().min(1).max(25) });

function json(body: unknown, headers: Record<string, string>, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

/** `max_results` (1–100) and an offset `pagination_token` (this sandbox's: the decimal offset). */
function paging(c: Context): { max: number; offset: number } | string {
  const rawMax = c.req.query("max_results");
  const max = rawMax === undefined ? DEFAULT_MAX_RESULTS : Number(rawMax);
  if (!Number.isInteger(max) || max < 1 || max > 100)
    return `The \`max_results\` query parameter value [${rawMax}] is not between 1 and 100`;
  const token = c.req.query("pagination_token");
  if (token === undefined) return { max, offset: 0 };
  const m = /^f([0-9]{1,7})$/.exec(token);
  if (!m) return `The \`pagination_token\` query parameter value [${token}] is not valid`;
  return { max, offset: Number(m[1]) };
}

function page<T>(items: T[], p: { max: number; offset: number }) {
  const data = items.slice(p.offset, p.offset + p.max);
  const next = p.offset + p.max < items.length ? `f${p.offset + p.max}` : undefined;
  return { data, meta: { result_count: data.length, ...(next && { next_token: next }) } };
}

export function folderRoutes(app: Hono, store: SandboxStore, guard: Guard): void {
  const own = (c: Context, user: SandboxUser, headers: Record<string, string>) =>
    c.req.param("id") === user.id
      ? null
      : problemResponse(genericProblem(403, "The `id` must be the id of the user who authorized this token."), 403, headers);
  const bad = (message: string, headers: Record<string, string>) =>
    problemResponse(invalidRequest([{ parameters: {}, message }]), 400, headers);

  app.get("/2/users/:id/bookmarks/folders", async (c) => {
    const g = await guard(c, "folders", FOLDER_READ_SCOPES);
    if (g instanceof Response) return g;
    const refused = own(c, g.user, g.headers);
    if (refused) return refused;
    const p = paging(c);
    if (typeof p === "string") return bad(p, g.headers);
    return json(
      page(
        store.foldersOf(g.user.id).map((f) => ({ id: f.id, name: f.name })),
        p,
      ),
      g.headers,
    );
  });

  app.get("/2/users/:id/bookmarks/folders/:folderId", async (c) => {
    const g = await guard(c, "folders", FOLDER_ITEMS_SCOPES);
    if (g instanceof Response) return g;
    const refused = own(c, g.user, g.headers);
    if (refused) return refused;
    const folder = store.foldersOf(g.user.id).find((f) => f.id === c.req.param("folderId"));
    if (!folder)
      return problemResponse(genericProblem(404, `Could not find folder with id: [${c.req.param("folderId")}].`), 404, g.headers);
    const cap = store.faults.folderIdsCap;
    if (cap !== undefined) {
      // X's reported behaviour: the newest ids only, and no pagination at all.
      if (c.req.query("pagination_token") !== undefined) return bad("Pagination is not supported for this folder.", g.headers);
      const data = folder.ids.slice(0, cap).map((id) => ({ id }));
      return json({ data, meta: { result_count: data.length } }, g.headers);
    }
    const p = paging(c);
    if (typeof p === "string") return bad(p, g.headers);
    return json(
      page(
        folder.ids.map((id) => ({ id })),
        p,
      ),
      g.headers,
    );
  });

  app.post("/2/users/:id/bookmarks/folders", async (c) => {
    const g = await guard(c, "folders", FOLDER_WRITE_SCOPES);
    if (g instanceof Response) return g;
    const refused = own(c, g.user, g.headers);
    if (refused) return refused;
    const body = createBody.safeParse(await c.req.json().catch(() => null));
    if (!body.success) return bad("`name` must be 1 to 25 characters.", g.headers);
    const folder = store.createFolder(g.user.id, body.data.name, []);
    return json({ data: { id: folder.id, name: folder.name } }, g.headers, 201);
  });
}
