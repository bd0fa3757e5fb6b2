/**
 * Issue 12, points 1 and 4: the app's real route handlers (tRPC, export, next-auth) behind a
 * plain node:http server that hands them the request as a streamed fetch Request, as Next does.
 * Refused requests never reach a procedure, so no Next request scope is needed here; accepted
 * ones are proven by the e2e suite (the whole app works) and by `acceptJsonPost` below.
 */
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as nextAuthGET, POST as nextAuthPOST } from "~/app/api/auth/[...nextauth]/route";
import { GET as exportGET } from "~/app/api/export/route";
import { GET as trpcGET, POST as trpcPOST } from "~/app/api/trpc/[trpc]/route";
import { env } from "~/env";
import { acceptJsonPost } from "./json-post";

const APP = "http://app.test";
type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response> | Response;
const routes: [RegExp, string, Handler][] = [
  [/^\/api\/trpc\//, "POST", trpcPOST],
  [/^\/api\/trpc\//, "GET", trpcGET],
  [/^\/api\/export/, "GET", exportGET],
  [/^\/api\/auth\//, "POST", nextAuthPOST as Handler],
  [/^\/api\/auth\//, "GET", nextAuthGET as Handler],
];

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) for (const one of [v ?? []].flat()) headers.append(k, one);
  const body = req.method === "GET" || req.method === "HEAD" ? undefined : (Readable.toWeb(req) as ReadableStream<Uint8Array>);
  return new Request(new URL(req.url ?? "/", base), { method: req.method, headers, body, duplex: "half" } as RequestInit);
}

let server: Server;
let base: string;
beforeAll(async () => {
  process.env.NEXTAUTH_URL = APP;
  server = createServer((req, res) => {
    const route = routes.find(([re, method]) => re.test(req.url ?? "") && method === req.method);
    if (!route) return void res.writeHead(404).end();
    const params = Promise.resolve({ trpc: (req.url ?? "").split("?")[0]!.slice("/api/trpc/".length), nextauth: ["signout"] });
    void Promise.resolve(route[2](toRequest(req, base), { params })).then(
      async (answer) => {
        res.writeHead(answer.status, Object.fromEntries(answer.headers));
        res.end(Buffer.from(await answer.arrayBuffer()));
      },
      // Past the checks, a handler needs Next's request scope (not here): that is not a refusal.
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server?.closeAllConnections();
  server?.close();
});

const mutation = `/api/trpc/bookmarks.update?batch=1`;
const body = JSON.stringify({ 0: { json: { id: "x", favorite: true } } });

async function post(path: string, headers: Record<string, string>, data: BodyInit = body) {
  const res = await fetch(base + path, { method: "POST", headers, body: data });
  return { status: res.status, text: await res.text() };
}

describe("state-changing requests from other sites", () => {
  it.each([
    ["a cross-site JSON fetch", { origin: "http://evil.example", "content-type": "application/json" }],
    ["a cross-site text/plain form", { origin: "http://evil.example", "content-type": "text/plain" }],
    ["another port of the same host", { origin: "http://app.test:8080", "content-type": "application/json" }],
    ["an opaque origin", { origin: "null", "content-type": "application/json" }],
    ["no Origin, cross-site fetch metadata", { "sec-fetch-site": "cross-site", "content-type": "application/json" }],
    ["no Origin, same-site (a sibling subdomain)", { "sec-fetch-site": "same-site", "content-type": "application/json" }],
    ["neither header", { "content-type": "application/json" }],
  ])("refuses a tRPC mutation: %s (403 with a sentence)", async (_name, headers) => {
    const res = await post(mutation, headers);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: "FORBIDDEN", message: expect.stringMatching(/app's own pages/) } });
  });

  it("refuses a cross-site export and a cross-site sign-out", async () => {
    const foreign = await fetch(`${base}/api/export?format=json`, { headers: { "sec-fetch-site": "cross-site" } });
    expect(foreign.status).toBe(403);
    const signOut = await post(
      "/api/auth/signout",
      { origin: "http://evil.example", "content-type": "application/x-www-form-urlencoded" },
      "csrfToken=x",
    );
    expect(signOut.status).toBe(403);
  });
});

describe("tRPC POST bodies", () => {
  it.each([["text/plain"], ["multipart/form-data; boundary=x"], ["application/x-www-form-urlencoded"], ["application/jsonp"]])(
    "refuses %s from the app's own origin with 415 and a sentence",
    async (type) => {
      const res = await post(mutation, { origin: APP, "content-type": type });
      expect(res.status).toBe(415);
      expect(JSON.parse(res.text)).toMatchObject({ error: { message: "Send the request as JSON (Content-Type: application/json)." } });
    },
  );

  it("refuses a declared 30 MB body at once, without reading it", async () => {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}${mutation}`, {
        method: "POST",
        headers: { origin: APP, "content-type": "application/json", "content-length": String(30 * 1_048_576) },
      });
      req.on("response", (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on("error", reject);
      req.write("{"); // and nothing more: the answer must not wait for the rest
    });
    expect(status).toBe(413);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("stops reading a streamed (chunked) body at the cap and answers 413 while the client is still sending", async () => {
    const chunk = Buffer.alloc(64 * 1024, "a");
    const total = 30 * 1_048_576;
    const started = performance.now();
    const { status, sentWhenAnswered } = await new Promise<{ status: number; sentWhenAnswered: number }>((resolve, reject) => {
      let sent = 0;
      let answered = false;
      const req = request(`${base}${mutation}`, { method: "POST", headers: { origin: APP, "content-type": "application/json" } });
      req.on("response", (res) => {
        answered = true;
        resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent });
        req.destroy();
      });
      req.on("error", (e) => (answered ? undefined : reject(e)));
      const pump = () => {
        while (!answered && sent < total) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        if (!answered) req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    // Answered long before 30 MB went out (socket buffers hold a few MB at most).
    expect(sentWhenAnswered).toBeLessThan(12 * 1_048_576);
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it("accepts a JSON body of exactly MAX_BODY_BYTES and refuses one byte more", async () => {
    const ok = await acceptJsonPost(
      new Request(`${APP}${mutation}`, {
        method: "POST",
        headers: { origin: APP, "content-type": "application/json; charset=utf-8" },
        body: "x".repeat(1024),
      }),
      1024,
    );
    expect(ok).toBeInstanceOf(Request);
    expect((await (ok as Request).text()).length).toBe(1024);
    const over = await acceptJsonPost(
      new Request(`${APP}${mutation}`, {
        method: "POST",
        headers: { origin: APP, "content-type": "application/json" },
        body: "x".repeat(1025),
      }),
      1024,
    );
    expect((over as Response).status).toBe(413);
    expect(await (over as Response).json()).toMatchObject({
      error: { code: "PAYLOAD_TOO_LARGE", message: expect.stringContaining("MAX_BODY_BYTES") },
    });
    // Without Origin, fetch metadata from the app's own page is enough.
    const sameOrigin = await acceptJsonPost(
      new Request(`${APP}${mutation}`, {
        method: "POST",
        headers: { "sec-fetch-site": "same-origin", "content-type": "application/json" },
        body: "{}",
      }),
    );
    expect(sameOrigin).toBeInstanceOf(Request);
  });

  it("refuses a batch of more than TRPC_MAX_BATCH_SIZE calls with 400", async () => {
    const n = env.TRPC_MAX_BATCH_SIZE + 1;
    const paths = Array.from({ length: n }, () => "bookmarks.list").join(",");
    const input = encodeURIComponent(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: {} }]))));
    const res = await fetch(`${base}/api/trpc/${paths}?batch=1&input=${input}`);
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/batch/i);
  });
});
