import { createServer, type Server } from "node:http";
import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { getRequestListener } from "@hono/node-server";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleTrpcHttp } from "~/server/api/http";
import { createTRPCContext } from "~/server/api/trpc";
import { exportResponse } from "~/server/bookmarks/export";
import { toAppSession } from "~/server/session";
import { createLibraryUser, libraryHarness, seedBookmarks } from "~/testing/library-seed";
import { createCompression } from "./compression";

/**
 * The web's answer compression (as main.ts puts it in front of Next) over real HTTP, in front of
 * the real tRPC handler and export on the test database.
 */
const lib = libraryHarness();
let server: Server;
let base: string;
let userId: string;

beforeAll(async () => {
  userId = (await createLibraryUser(lib.db)).id;
  await seedBookmarks(
    lib.db,
    userId,
    Array.from({ length: 40 }, (_, i) => ({ text: `Post number ${i} about compression, brotli and gzip; 圧縮のテスト ${i}` })),
  );
  const session = toAppSession({ id: userId }, new Date(Date.now() + 3600_000));
  const app = getRequestListener((req) =>
    new URL(req.url).pathname === "/api/export"
      ? exportResponse(lib.db, session, req, { now: new Date("2026-01-02T03:04:05Z"), pageSize: 10 })
      : handleTrpcHttp(req, async () => createTRPCContext({ session, services: lib.services })),
  );
  const compress = createCompression(1024);
  server = createServer((req, res) => {
    compress(req, res, () => undefined);
    void app(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server?.close();
  await lib.close();
});

/** A raw GET (fetch would decode the body itself): status, headers and the bytes as sent. */
function get(
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

const trpcPath = (path: string, input: unknown) =>
  `/api/trpc/${path}?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize(input) }))}`;

describe("answer compression", () => {
  const list = trpcPath("bookmarks.list", { limit: 40 });

  it("brotli answers decode to the same JSON as uncompressed ones; gzip when brotli is not accepted", async () => {
    const plain = await get(list, { "accept-encoding": "identity" });
    const br = await get(list, { "accept-encoding": "gzip, deflate, br" });
    const gz = await get(list, { "accept-encoding": "gzip" });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    for (const r of [plain, br, gz]) expect(String(r.headers.vary)).toMatch(/accept-encoding/i);
    const json = JSON.parse(plain.body.toString("utf8")) as unknown;
    expect(JSON.parse(brotliDecompressSync(br.body).toString("utf8"))).toEqual(json);
    expect(JSON.parse(gunzipSync(gz.body).toString("utf8"))).toEqual(json);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
  });

  it("answers below the threshold are sent as they are", async () => {
    const small = await get(trpcPath("bookmarks.count", {}), { "accept-encoding": "br, gzip" });
    expect(small.status).toBe(200);
    expect(small.headers["content-encoding"]).toBeUndefined();
  });

  it("exports stream compressed and decode to the same file", async () => {
    const plain = await get("/api/export?format=json", { "accept-encoding": "identity" });
    const br = await get("/api/export?format=json", { "accept-encoding": "br" });
    expect(plain.status).toBe(200);
    expect(br.headers["content-encoding"]).toBe("br");
    expect(br.headers["content-length"]).toBeUndefined(); // streamed
    // Four pages of ten, each written as it is read: the same bytes once decoded.
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(plain.body.toString("utf8")).toContain("Post number 39");
  });

  it("server-sent events are never compressed", async () => {
    const controller = new AbortController();
    const res = await fetch(
      `${base}/api/trpc/library.onChange?input=${encodeURIComponent(JSON.stringify(superjson.serialize(undefined)))}`,
      {
        headers: { "accept-encoding": "br, gzip", accept: "text/event-stream" },
        signal: controller.signal,
      },
    );
    expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("content-encoding")).toBeNull();
    controller.abort();
  });
});
