/**
 * GET /2/tweets?ids=: X's post lookup (1–100 comma-separated ids), answered like a bookmarks
 * page (`data`, `includes`); ids it cannot serve (deleted or unknown posts) come back in
 * `errors[]` inside the same 200 answer. Its own per-user rate limit (5,000 per 15 minutes).
 */
import { Hono } from "hono";
import { buildIncludes, createGuard, json, postCache, postSelection, unknownParams } from "./api";
import type { FaultRunner } from "./faults";
import { selectionKey, serializePost } from "./fields";
import { invalidRequest, postNotFound, problemResponse, type ParameterError } from "./problems";
import type { SandboxStore } from "./store";
import type { SandboxPost } from "./types";

export const LOOKUP_SCOPES = ["tweet.read", "users.read"];
export const MAX_LOOKUP_IDS = 100;
const ID = /^[0-9]{1,19}$/;

export function lookupRoutes(store: SandboxStore, faults: FaultRunner): Hono {
  const app = new Hono();
  const guard = createGuard(store, faults);

  app.get("/2/tweets", async (c) => {
    const g = await guard(c, "tweets", LOOKUP_SCOPES);
    if (g instanceof Response) return g;
    const url = new URL(c.req.url);
    const errors: ParameterError[] = [];
    unknownParams(
      url,
      ["ids", "expansions", "tweet.fields", "post.fields", "user.fields", "media.fields", "poll.fields", "place.fields"],
      errors,
    );
    const raw = c.req.query("ids");
    const ids = raw === undefined ? [] : raw.split(",");
    if (raw === undefined || raw === "") {
      errors.push({ parameters: { ids: [] }, message: "The `ids` query parameter can not be empty" });
    } else if (ids.length > MAX_LOOKUP_IDS) {
      errors.push({
        parameters: { ids: [raw] },
        message: `The number of values in the \`ids\` query parameter list [${ids.length}] is not between 1 and ${MAX_LOOKUP_IDS}`,
      });
    } else {
      for (const id of ids) {
        if (!ID.test(id)) errors.push({ parameters: { ids: [id] }, message: `The \`ids\` query parameter value [${id}] is not valid` });
      }
    }
    const { tweetFields, expansions, userFields, mediaFields } = postSelection(c, errors);
    if (errors.length) return problemResponse(invalidRequest(errors), 400, g.headers);

    const cache = postCache(store, selectionKey({ tweet: tweetFields, media: mediaFields }));
    const data: string[] = [];
    const posts: SandboxPost[] = [];
    const missing: ReturnType<typeof postNotFound>[] = [];
    // X answers each id once, in the order asked.
    for (const id of new Set(ids)) {
      const post = store.posts.get(id);
      if (!post || post.deleted) {
        missing.push(postNotFound(id, "ids"));
        continue;
      }
      let frag = cache.get(id);
      if (frag === undefined) {
        frag = JSON.stringify(serializePost(post, tweetFields));
        cache.set(id, frag);
      }
      data.push(frag);
      posts.push(post);
    }
    const includes = buildIncludes(store, posts, { tweetFields, userFields, mediaFields, expansions });
    const parts: string[] = [];
    if (data.length) parts.push(`"data":[${data.join(",")}]`);
    if (includes) parts.push(`"includes":${JSON.stringify(includes)}`);
    if (missing.length) parts.push(`"errors":${JSON.stringify(missing)}`);
    return json(`{${parts.join(",")}}`, g.headers);
  });

  return app;
}
