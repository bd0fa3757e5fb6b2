/**
 * The test-only control API under /_sandbox/ (JSON): create accounts and bookmarks, delete posts,
 * mint tokens, switch faults, read call counts, download an account's archive or exporter file,
 * reset. The app's tests depend on these shapes.
 */
import { Readable } from "node:stream";
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { FaultRunner } from "./faults";
import { archiveZip, exporterCsv, exporterRows } from "./files";
import { genericProblem, problemResponse } from "./problems";
import { isKnownScope } from "./scopes";
import { ConflictError, ENDPOINTS, type Endpoint, type Faults, type SandboxStore } from "./store";

const MAX_BOOKMARKS = 200_000;

const username = z.string().regex(/^[A-Za-z0-9_]{1,50}$/, "letters, digits and _ only (1-50)");
const createUserBody = z.strictObject({
  username,
  bookmarks: z.number().int().min(0).max(MAX_BOOKMARKS),
  name: z.string().trim().min(1).max(50).optional(),
});
const renameUserBody = z.strictObject({ username });
const addBookmarksBody = z.strictObject({ count: z.number().int().min(0).max(MAX_BOOKMARKS) });
const createFolderBody = z.strictObject({
  name: z.string().min(1).max(25),
  tweetIds: z
    .array(z.string().regex(/^[0-9]{1,19}$/, "post ids are digits"))
    .max(MAX_BOOKMARKS)
    .default([]),
});
const tokensBody = z.strictObject({
  userId: z.string().min(1),
  scopes: z.array(z.string().refine(isKnownScope, "unknown scope")).min(1),
  expiresIn: z
    .number()
    .int()
    .min(0)
    .max(10 * 365 * 86_400)
    .optional(),
});
const faultsBody = z.strictObject({
  latencyMs: z.number().int().min(0).max(600_000).optional(),
  errorRate: z.number().min(0).max(1).optional(),
  errorStatus: z.number().int().min(400).max(599).optional(),
  timeoutRate: z.number().min(0).max(1).optional(),
  rateLimit: z
    .strictObject({
      limit: z.number().int().min(0),
      windowSeconds: z.number().positive().max(86_400),
      endpoint: z.enum(ENDPOINTS).optional(),
    })
    .optional(),
  expireTokens: z.boolean().optional(),
  usageCapped: z.enum(["Daily", "Monthly"]).optional(),
  malformedRate: z.number().min(0).max(1).optional(),
  folderIdsCap: z.number().int().min(0).max(1000).optional(),
});

function badRequest(detail: string): Response {
  return problemResponse({ ...genericProblem(400, detail), title: "Invalid Request" }, 400);
}

async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T | Response> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return badRequest("The body must be JSON.");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return badRequest(z.prettifyError(parsed.error));
  return parsed.data;
}

export function controlRoutes(store: SandboxStore, faults: FaultRunner): Hono {
  const app = new Hono();
  const notFound = (what: string) => problemResponse(genericProblem(404, `${what} not found`), 404);

  app.get("/_sandbox/health", (c) => c.json({ ok: true }));

  app.post("/_sandbox/reset", (c) => {
    faults.releaseAll();
    store.reset();
    return c.json({ ok: true });
  });

  app.post("/_sandbox/users", async (c) => {
    const b = await body(c, createUserBody);
    if (b instanceof Response) return b;
    try {
      const user = store.createAccount(b.username, b.bookmarks, b.name);
      return c.json({ id: user.id, username: user.username }, 201);
    } catch (e) {
      if (e instanceof ConflictError) return problemResponse(genericProblem(409, `The username ${b.username} is already taken.`), 409);
      throw e;
    }
  });

  app.patch("/_sandbox/users/:id", async (c) => {
    const b = await body(c, renameUserBody);
    if (b instanceof Response) return b;
    try {
      const user = store.renameAccount(c.req.param("id"), b.username);
      return user ? c.json({ id: user.id, username: user.username }) : notFound("user");
    } catch (e) {
      if (e instanceof ConflictError) return problemResponse(genericProblem(409, `The username ${b.username} is already taken.`), 409);
      throw e;
    }
  });

  app.get("/_sandbox/users/:id/bookmarks", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    return c.json({ ids: store.bookmarkList(user.id).newestFirst() });
  });

  app.post("/_sandbox/users/:id/bookmarks", async (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    const b = await body(c, addBookmarksBody);
    if (b instanceof Response) return b;
    const added = store.addNewBookmarks(user.id, b.count);
    return c.json({ added, total: store.bookmarkList(user.id).length });
  });

  app.post("/_sandbox/users/:id/folders", async (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    const b = await body(c, createFolderBody);
    if (b instanceof Response) return b;
    const unknown = b.tweetIds.filter((id) => !store.posts.has(id));
    if (unknown.length) return badRequest(`Unknown post id(s): ${unknown.slice(0, 5).join(", ")}`);
    const folder = store.createFolder(user.id, b.name, b.tweetIds);
    return c.json({ id: folder.id, name: folder.name }, 201);
  });

  app.delete("/_sandbox/users/:id/bookmarks/:tweetId", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    if (!store.removeBookmark(user.id, c.req.param("tweetId"))) return notFound("bookmark");
    return c.body(null, 204);
  });

  app.delete("/_sandbox/posts/:tweetId", (c) => {
    const post = store.posts.get(c.req.param("tweetId"));
    if (!post) return notFound("post");
    post.deleted = true;
    return c.body(null, 204);
  });

  /** API calls per endpoint (counted even when a fault answers them) and each rate-limit window. */
  const usage = (userId: string) => {
    const calls = store.calls.get(userId) ?? { bookmarks: 0, me: 0, tweets: 0, folders: 0, bookmarkWrites: 0 };
    const rateLimit = Object.fromEntries(ENDPOINTS.map((e) => [e, store.rateState(userId, e)])) as Record<
      Endpoint,
      ReturnType<typeof store.rateState>
    >;
    return {
      apiCalls: {
        bookmarks: calls.bookmarks,
        me: calls.me,
        tweets: calls.tweets,
        folders: calls.folders,
        bookmarkWrites: calls.bookmarkWrites,
      },
      rateLimit,
      bookmarks: store.bookmarkList(userId).length,
    };
  };

  app.get("/_sandbox/users/:id", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    return c.json({ id: user.id, username: user.username, name: user.name, ...usage(user.id) });
  });

  app.get("/_sandbox/users/:id/stats", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    return c.json(usage(user.id));
  });

  app.get("/_sandbox/users/:id/archive", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    const zip = archiveZip(store, user);
    return new Response(Readable.toWeb(zip) as ReadableStream, {
      headers: { "content-type": "application/zip", "content-disposition": `attachment; filename="twitter-archive-${user.username}.zip"` },
    });
  });

  app.get("/_sandbox/users/:id/export", (c) => {
    const user = store.account(c.req.param("id"));
    if (!user) return notFound("user");
    const format = c.req.query("format") ?? "json";
    if (format !== "json" && format !== "csv") return badRequest("format must be json or csv");
    const rows = exporterRows(store, user);
    const name = `twitter-Bookmarks-${user.username}.${format}`;
    const disposition = `attachment; filename="${name}"`;
    if (format === "json")
      return c.body(JSON.stringify(rows, null, 2), 200, { "content-type": "application/json", "content-disposition": disposition });
    return c.body(exporterCsv(rows), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": disposition });
  });

  app.post("/_sandbox/tokens", async (c) => {
    const b = await body(c, tokensBody);
    if (b instanceof Response) return b;
    const user = store.account(b.userId);
    if (!user) return notFound("user");
    const t = store.issueTokens(user.id, store.options.clientId, [...new Set(b.scopes)], b.expiresIn);
    return c.json({
      access_token: t.access_token,
      ...(t.refresh_token !== undefined && { refresh_token: t.refresh_token }),
      expires_in: t.expires_in,
      scope: t.scope,
      token_type: t.token_type,
    });
  });

  app.get("/_sandbox/faults", (c) => c.json(store.faults));

  app.put("/_sandbox/faults", async (c) => {
    const b = await body(c, faultsBody);
    if (b instanceof Response) return b;
    const { expireTokens, ...rest } = b;
    // PUT replaces the whole set: what is not given is switched off.
    const next: Faults = {};
    if (rest.latencyMs) next.latencyMs = rest.latencyMs;
    if (rest.errorRate) {
      next.errorRate = rest.errorRate;
      next.errorStatus = rest.errorStatus ?? 503;
    } else if (rest.errorStatus !== undefined) {
      next.errorStatus = rest.errorStatus;
    }
    if (rest.timeoutRate) next.timeoutRate = rest.timeoutRate;
    if (rest.rateLimit) next.rateLimit = rest.rateLimit;
    if (rest.usageCapped) next.usageCapped = rest.usageCapped;
    if (rest.malformedRate) next.malformedRate = rest.malformedRate;
    if (rest.folderIdsCap !== undefined) next.folderIdsCap = rest.folderIdsCap;
    store.faults = next;
    if (expireTokens) store.expireAccessTokens();
    return c.json(store.faults);
  });

  return app;
}
