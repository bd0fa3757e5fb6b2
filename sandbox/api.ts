/**
 * X API v2 routes: GET /2/users/me and GET /2/users/:id/bookmarks, with X's authentication,
 * scopes, per-user rate limits, parameter validation, fields/expansions and cursors. The post
 * lookup (GET /2/tweets) lives in lookup.ts and shares the guard, selection and includes here.
 */
import { Hono, type Context } from "hono";
import type { FaultRunner } from "./faults";
import {
  MEDIA_FIELDS,
  parseList,
  PLACE_FIELDS,
  POLL_FIELDS,
  POST_EXPANSIONS,
  selectionKey,
  serializeMedia,
  serializePost,
  serializeUser,
  TWEET_FIELDS,
  USER_EXPANSIONS,
  USER_FIELDS,
} from "./fields";
import { folderRoutes } from "./folders";
import { genericProblem, invalidRequest, postNotFound, problemResponse, usageCapped, type ParameterError } from "./problems";
import type { AccessTokenRecord, Endpoint, SandboxStore } from "./store";
import type { SandboxPost, SandboxUser } from "./types";
import { writeRoutes } from "./writes";

export const ME_SCOPES = ["users.read", "tweet.read"];
export const BOOKMARK_SCOPES = ["bookmark.read", "tweet.read", "users.read"];
const DEFAULT_MAX_RESULTS = 100;
const POST_CACHE_SELECTIONS = 8;

export interface Granted {
  user: SandboxUser;
  token: AccessTokenRecord;
  headers: Record<string, string>;
}

export function json(body: string, headers: Record<string, string>): Response {
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-cache, no-store, max-age=0", ...headers },
  });
}

export function unknownParams(url: URL, allowed: readonly string[], errors: ParameterError[]): void {
  for (const name of new Set(url.searchParams.keys())) {
    if (!allowed.includes(name)) {
      errors.push({
        parameters: { [name]: url.searchParams.getAll(name) },
        message: `The query parameter [${name}] is not one of [${allowed.join(",")}]`,
      });
    }
  }
}

/** Counting, faults, authentication, rate limit, usage cap and scopes, in X's order. */
export type Guard = (c: Context, endpoint: Endpoint, scopes: string[]) => Promise<Granted | Response>;

export function createGuard(store: SandboxStore, faults: FaultRunner): Guard {
  return async function guard(c, endpoint, scopes) {
    const m = /^bearer\s+(\S+)\s*$/i.exec(c.req.header("authorization") ?? "");
    const raw = m?.[1];
    const known = raw ? store.accessTokens.get(raw) : undefined;
    if (known) store.countCall(known.userId, endpoint);

    const fault = await faults.apply(c.req.raw.signal);
    if (fault) return fault;

    const token = raw ? store.liveAccessToken(raw) : undefined;
    const user = token ? store.users.get(token.userId) : undefined;
    if (!token || !user) return problemResponse(genericProblem(401), 401);

    const rate = store.consumeRate(user.id, endpoint);
    const headers = {
      "x-rate-limit-limit": String(rate.limit),
      "x-rate-limit-remaining": String(rate.remaining),
      "x-rate-limit-reset": String(rate.reset),
    };
    // The usage cap is checked before serving and wins over the window; the request still counts.
    const cap = store.faults.usageCapped;
    if (cap) return problemResponse(usageCapped(cap), 429, headers);
    if (!rate.allowed) return problemResponse(genericProblem(429), 429, headers);
    if (!scopes.every((s) => token.scopes.includes(s))) return problemResponse(genericProblem(403), 403, headers);
    return { user, token, headers };
  };
}

export function apiRoutes(store: SandboxStore, faults: FaultRunner): Hono {
  const app = new Hono();
  const guard = createGuard(store, faults);

  folderRoutes(app, store, guard);
  writeRoutes(app, store, guard);

  app.get("/2/users/me", async (c) => {
    const g = await guard(c, "me", ME_SCOPES);
    if (g instanceof Response) return g;
    const url = new URL(c.req.url);
    const errors: ParameterError[] = [];
    unknownParams(url, ["expansions", "tweet.fields", "post.fields", "user.fields"], errors);
    const userFields = parseList("user.fields", c.req.query("user.fields"), USER_FIELDS, errors);
    parseList("expansions", c.req.query("expansions"), USER_EXPANSIONS, errors);
    parseList("tweet.fields", c.req.query("tweet.fields"), TWEET_FIELDS, errors);
    parseList("post.fields", c.req.query("post.fields"), TWEET_FIELDS, errors);
    if (errors.length) return problemResponse(invalidRequest(errors), 400, g.headers);
    return json(JSON.stringify({ data: serializeUser(g.user, userFields, store.publicUrl) }), g.headers);
  });

  app.get("/2/users/:id/bookmarks", async (c) => {
    const g = await guard(c, "bookmarks", BOOKMARK_SCOPES);
    if (g instanceof Response) return g;
    const url = new URL(c.req.url);
    const id = c.req.param("id");
    const errors: ParameterError[] = [];
    unknownParams(
      url,
      [
        "max_results",
        "pagination_token",
        "expansions",
        "tweet.fields",
        "post.fields",
        "user.fields",
        "media.fields",
        "poll.fields",
        "place.fields",
      ],
      errors,
    );
    if (!/^[0-9]{1,19}$/.test(id)) {
      errors.push({ parameters: { id: [id] }, message: `The \`id\` query parameter value [${id}] does not match ^[0-9]{1,19}$` });
    }
    let maxResults = DEFAULT_MAX_RESULTS;
    const rawMax = c.req.query("max_results");
    if (rawMax !== undefined) {
      const n = /^[0-9]{1,9}$/.test(rawMax) ? Number(rawMax) : NaN;
      if (!(n >= 1 && n <= 100)) {
        errors.push({
          parameters: { max_results: [rawMax] },
          message: `The \`max_results\` query parameter value [${rawMax}] is not between 1 and 100`,
        });
      } else {
        maxResults = n;
      }
    }
    const rawToken = c.req.query("pagination_token");
    if (rawToken === "") {
      errors.push({ parameters: { pagination_token: [""] }, message: "The `pagination_token` query parameter value [] is not valid" });
    }
    const { tweetFields, expansions, userFields, mediaFields } = postSelection(c, errors);
    if (errors.length) return problemResponse(invalidRequest(errors), 400, g.headers);

    if (id !== g.user.id) {
      return problemResponse(
        genericProblem(
          403,
          "You can only read the bookmarks of the authenticated user: the `id` must be the id of the user who authorized this token.",
        ),
        403,
        g.headers,
      );
    }

    let cursor: ReturnType<typeof store.pagination.decode> = null;
    if (rawToken) {
      cursor = store.pagination.decode(g.user.id, rawToken);
      if (!cursor) {
        return problemResponse(
          invalidRequest([
            {
              parameters: { pagination_token: [rawToken] },
              message: `The \`pagination_token\` query parameter value [${rawToken}] is not valid`,
            },
          ]),
          400,
          g.headers,
        );
      }
    }

    // The page: indices into the list (oldest first), newest first. Only the most recent
    // `bookmarkCap` bookmarks are reachable.
    const list = store.bookmarkList(g.user.id);
    const cap = store.options.bookmarkCap;
    const floor = cap > 0 ? Math.max(0, list.length - cap) : 0;
    const page: number[] = [];
    if (!cursor || cursor.dir === "next") {
      const start = cursor ? list.lowerBound(cursor.seq) - 1 : list.length - 1;
      for (let i = start; i >= floor && page.length < maxResults; i--) page.push(i);
    } else {
      const start = list.lowerBound(cursor.seq + 1);
      for (let i = Math.max(start, floor); i < list.length && page.length < maxResults; i++) page.unshift(i);
    }

    const data: string[] = [];
    const posts: SandboxPost[] = [];
    const missing: ReturnType<typeof postNotFound>[] = [];
    const cache = postCache(store, selectionKey({ tweet: tweetFields, media: mediaFields }));
    for (const i of page) {
      const postId = list.ids[i]!;
      const post = store.posts.get(postId);
      if (!post || post.deleted) {
        missing.push(postNotFound(postId));
        continue;
      }
      let frag = cache.get(postId);
      if (faults.malformedPost()) {
        // A post missing fields on an otherwise valid page (never cached).
        const o = serializePost(post, tweetFields);
        delete o.text;
        delete o.author_id;
        frag = JSON.stringify(o);
      } else if (frag === undefined) {
        frag = JSON.stringify(serializePost(post, tweetFields));
        cache.set(postId, frag);
      }
      data.push(frag);
      posts.push(post);
    }

    const includes = buildIncludes(store, posts, { tweetFields, userFields, mediaFields, expansions });
    const meta: Record<string, unknown> = { result_count: data.length };
    if (page.length > 0) {
      const newest = page[0]!;
      const oldest = page[page.length - 1]!;
      if (oldest - 1 >= floor) meta.next_token = store.pagination.encode(g.user.id, "next", list.seqs[oldest]!);
      if (cursor && newest + 1 < list.length) meta.previous_token = store.pagination.encode(g.user.id, "prev", list.seqs[newest]!);
    }

    const parts: string[] = [];
    if (data.length) parts.push(`"data":[${data.join(",")}]`);
    if (includes) parts.push(`"includes":${JSON.stringify(includes)}`);
    if (missing.length) parts.push(`"errors":${JSON.stringify(missing)}`);
    parts.push(`"meta":${JSON.stringify(meta)}`);
    return json(`{${parts.join(",")}}`, g.headers);
  });

  return app;
}

/** The fields and expansions a post-returning request asks for (bookmarks, lookups). */
export function postSelection(c: Context, errors: ParameterError[]) {
  const tweetFields = parseList("tweet.fields", c.req.query("tweet.fields"), TWEET_FIELDS, errors);
  for (const f of parseList("post.fields", c.req.query("post.fields"), TWEET_FIELDS, errors)) tweetFields.add(f);
  const expansions = parseList("expansions", c.req.query("expansions"), POST_EXPANSIONS, errors);
  const userFields = parseList("user.fields", c.req.query("user.fields"), USER_FIELDS, errors);
  const mediaFields = parseList("media.fields", c.req.query("media.fields"), MEDIA_FIELDS, errors);
  parseList("poll.fields", c.req.query("poll.fields"), POLL_FIELDS, errors);
  parseList("place.fields", c.req.query("place.fields"), PLACE_FIELDS, errors);
  return { tweetFields, expansions, userFields, mediaFields };
}

export function postCache(store: SandboxStore, key: string): Map<string, string> {
  let cache = store.postCache.get(key);
  if (!cache) {
    if (store.postCache.size >= POST_CACHE_SELECTIONS) {
      const oldest = store.postCache.keys().next().value;
      if (oldest !== undefined) store.postCache.delete(oldest);
    }
    cache = new Map();
    store.postCache.set(key, cache);
  }
  return cache;
}

/** `includes` for a page: users, media and referenced posts, each once, in order of appearance. */
export function buildIncludes(
  store: SandboxStore,
  posts: SandboxPost[],
  sel: { tweetFields: Set<string>; userFields: Set<string>; mediaFields: Set<string>; expansions: Set<string> },
): Record<string, unknown[]> | null {
  const ex = sel.expansions;
  const users = new Map<string, SandboxUser>();
  const media = new Map<string, unknown>();
  const tweets = new Map<string, SandboxPost>();
  const addUser = (id: string | undefined) => {
    const u = id ? store.users.get(id) : undefined;
    if (u && !users.has(u.id)) users.set(u.id, u);
  };

  for (const p of posts) {
    if (ex.has("author_id")) addUser(p.authorId);
    if (ex.has("entities.mentions.username")) for (const m of p.entities.mentions ?? []) addUser(m.id);
    if (ex.has("in_reply_to_user_id")) addUser(p.inReplyToUserId);
    if (ex.has("referenced_tweets.id") || ex.has("referenced_posts")) {
      for (const r of p.referenced ?? []) {
        const ref = store.posts.get(r.id);
        if (ref && !ref.deleted) tweets.set(ref.id, ref);
      }
    }
    if (ex.has("edit_history_tweet_ids") || ex.has("edit_history_post_ids")) tweets.set(p.id, p);
  }
  if (ex.has("referenced_tweets.id.author_id")) for (const t of tweets.values()) addUser(t.authorId);
  if (ex.has("attachments.media_keys")) {
    for (const p of [...posts, ...tweets.values()]) {
      for (const key of p.mediaKeys ?? []) {
        const m = store.media.get(key);
        if (m && !media.has(key)) media.set(key, serializeMedia(m, sel.mediaFields, store.publicUrl));
      }
    }
  }

  const out: Record<string, unknown[]> = {};
  if (media.size) out.media = [...media.values()];
  if (users.size) out.users = [...users.values()].map((u) => serializeUser(u, sel.userFields, store.publicUrl));
  if (tweets.size) out.tweets = [...tweets.values()].map((t) => serializePost(t, sel.tweetFields));
  return Object.keys(out).length ? out : null;
}
