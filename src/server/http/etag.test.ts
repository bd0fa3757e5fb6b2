import { describe, expect, it } from "vitest";
import { matches, withEtag } from "./etag";

const URL_ = "http://127.0.0.1:3000/api/trpc/bookmarks.list?batch=1&input=%7B%7D";
const BODY = JSON.stringify([{ result: { data: { json: { items: [1, 2, 3] } } } }]);

function get(headers: Record<string, string> = {}) {
  return new Request(URL_, { method: "GET", headers });
}
function json(body = BODY, init: ResponseInit = {}) {
  return new Response(body, {
    status: 200,
    ...init,
    headers: { "content-type": "application/json", vary: "trpc-accept, accept", ...init.headers },
  });
}

describe("withEtag", () => {
  it("tags a 200 JSON answer to a GET and keeps its body", async () => {
    const res = await withEtag(get(), json());
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).toMatch(/^W\/"[\w-]{27}"$/);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("vary")).toBe("trpc-accept, accept, Cookie");
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe(BODY);
  });

  it("gives the same body the same tag and a different body another", async () => {
    const a = (await withEtag(get(), json())).headers.get("etag");
    const b = (await withEtag(get(), json())).headers.get("etag");
    const c = (await withEtag(get(), json(BODY.replace("3", "4")))).headers.get("etag");
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it("answers 304 with no body when If-None-Match lists the tag", async () => {
    const etag = (await withEtag(get(), json())).headers.get("etag")!;
    const strong = etag.slice(2);
    for (const inm of [etag, strong, `"other", ${etag}`, `W/"x",${strong} , "y"`, "*"]) {
      const res = await withEtag(get({ "if-none-match": inm }), json());
      expect(res.status, inm).toBe(304);
      expect(res.body).toBeNull();
      expect(res.headers.get("etag")).toBe(etag);
      expect(res.headers.get("cache-control")).toBe("private, no-cache");
      expect(res.headers.get("vary")).toContain("Cookie");
    }
  });

  it("answers 200 with the new body when the tag is stale", async () => {
    const res = await withEtag(get({ "if-none-match": 'W/"stale", "older"' }), json());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(BODY);
  });

  it("passes through POSTs, errors, streams and non-JSON untouched", async () => {
    const post = json();
    expect(await withEtag(new Request(URL_, { method: "POST", body: "{}" }), post)).toBe(post);
    const error = json('{"error":{}}', { status: 401 });
    expect(await withEtag(get(), error)).toBe(error);
    const chunked = json(BODY, { headers: { "transfer-encoding": "chunked" } });
    expect(await withEtag(get(), chunked)).toBe(chunked);
    const sse = new Response("data: 1\n\n", { headers: { "content-type": "text/event-stream" } });
    expect(await withEtag(get({ "if-none-match": "*" }), sse)).toBe(sse);
    // Their bodies were not read.
    for (const r of [post, error, chunked, sse]) expect(r.bodyUsed).toBe(false);
  });

  it("does not add Cookie to Vary twice", async () => {
    const res = await withEtag(get(), json(BODY, { headers: { vary: "cookie" } }));
    expect(res.headers.get("vary")).toBe("cookie");
  });
});

describe("matches", () => {
  it("compares weakly and handles lists and *", () => {
    expect(matches(null, 'W/"a"')).toBe(false);
    expect(matches("", 'W/"a"')).toBe(false);
    expect(matches('"a"', 'W/"a"')).toBe(true);
    expect(matches('W/"a"', 'W/"a"')).toBe(true);
    expect(matches('"b","a"', 'W/"a"')).toBe(true);
    expect(matches('"ab"', 'W/"a"')).toBe(false);
    expect(matches("*", 'W/"a"')).toBe(true);
  });
});
