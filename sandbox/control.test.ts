import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { SEEDED_ACCOUNTS } from "./data";
import { compareIds } from "./ids";
import { apiGet, bookmarksPage, control, createUser, mint, sandbox } from "./test-utils";

describe("control API", () => {
  it("health", async () => {
    const sb = sandbox();
    expect(await control(sb, "GET", "/health")).toEqual({ status: 200, body: { ok: true } });
  });

  it("creates users: 201 { id, username }, 409 when taken, 400 on bad input", async () => {
    const sb = sandbox();
    const r = await control<{ id: string; username: string }>(sb, "POST", "/users", {
      username: "new_one",
      bookmarks: 25,
      name: "New One",
    });
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ id: expect.stringMatching(/^\d{1,19}$/), username: "new_one" });
    expect((await control<{ ids: string[] }>(sb, "GET", `/users/${r.body.id}/bookmarks`)).body.ids).toHaveLength(25);
    expect((await control(sb, "POST", "/users", { username: "new_one", bookmarks: 1 })).status).toBe(409);
    expect((await control(sb, "POST", "/users", { username: "DEMO", bookmarks: 1 })).status).toBe(409);
    for (const bad of [
      { username: "x y", bookmarks: 1 },
      { username: "ok", bookmarks: -1 },
      { username: "ok", bookmarks: 1.5 },
      { bookmarks: 3 },
      "nope",
    ]) {
      const res = await control<{ type: string }>(sb, "POST", "/users", bad);
      expect(res.status).toBe(400);
    }
    // The new account logs in as itself.
    const t = await mint(sb, r.body.id);
    const me = await apiGet(sb, "/2/users/me", t.access_token);
    expect(await me.json()).toEqual({ data: { id: r.body.id, name: "New One", username: "new_one" } });
  });

  it("renames an account (X handle change): the old handle is free for a new account, 409 when taken, 404/400", async () => {
    const sb = sandbox();
    const a = (await control<{ id: string; username: string }>(sb, "POST", "/users", { username: "boss", bookmarks: 0 })).body;
    expect(await control(sb, "PATCH", `/users/${a.id}`, { username: "boss_old" })).toEqual({
      status: 200,
      body: { id: a.id, username: "boss_old" },
    });
    const t = await mint(sb, a.id);
    expect(((await (await apiGet(sb, "/2/users/me", t.access_token)).json()) as { data: { username: string } }).data.username).toBe(
      "boss_old",
    );
    // Someone else takes the old handle: another X id.
    const b = await control<{ id: string; username: string }>(sb, "POST", "/users", { username: "Boss", bookmarks: 0 });
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.id);
    expect((await control(sb, "PATCH", `/users/${a.id}`, { username: "BOSS" })).status).toBe(409);
    expect((await control(sb, "PATCH", `/users/${a.id}`, { username: "boss_old" })).status).toBe(200);
    expect((await control(sb, "PATCH", "/users/999", { username: "free_one" })).status).toBe(404);
    expect((await control(sb, "PATCH", `/users/${a.id}`, { username: "not ok" })).status).toBe(400);
  });

  it("adds new most-recent bookmarks as new posts with ids above all others", async () => {
    const sb = sandbox();
    const demo = SEEDED_ACCOUNTS[0]!.id;
    const before = (await control<{ ids: string[] }>(sb, "GET", `/users/${demo}/bookmarks`)).body.ids;
    const maxBefore = [...sb.store.posts.keys()].sort(compareIds).at(-1)!;
    const r = await control<{ added: string[]; total: number }>(sb, "POST", `/users/${demo}/bookmarks`, { count: 5 });
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(805);
    expect(r.body.added).toHaveLength(5);
    for (const id of r.body.added) expect(compareIds(id, maxBefore)).toBeGreaterThan(0);
    const after = (await control<{ ids: string[] }>(sb, "GET", `/users/${demo}/bookmarks`)).body.ids;
    expect(after).toEqual([...r.body.added, ...before]);
    // Newest first: the later a post was added, the higher its id.
    expect([...r.body.added].sort(compareIds).reverse()).toEqual(r.body.added);
  });

  it("removes a bookmark (204), and 404s what does not exist", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "remover", 10);
    const ids = (await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids;
    expect((await control(sb, "DELETE", `/users/${id}/bookmarks/${ids[4]}`)).status).toBe(204);
    expect((await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids).toEqual(ids.filter((_, i) => i !== 4));
    expect((await control(sb, "DELETE", `/users/${id}/bookmarks/${ids[4]}`)).status).toBe(404);
    expect((await control(sb, "GET", `/users/123/bookmarks`)).status).toBe(404);
    expect((await control(sb, "DELETE", `/posts/1`)).status).toBe(404);
  });

  it("mints tokens without the browser", async () => {
    const sb = sandbox();
    const demo = SEEDED_ACCOUNTS[0]!.id;
    const r = await control(sb, "POST", "/tokens", {
      userId: demo,
      scopes: ["tweet.read", "users.read", "bookmark.read", "offline.access"],
      expiresIn: 60,
    });
    expect(r).toEqual({
      status: 200,
      body: {
        access_token: expect.any(String),
        refresh_token: expect.any(String),
        expires_in: 60,
        scope: "tweet.read users.read bookmark.read offline.access",
        token_type: "bearer",
      },
    });
    expect((await control(sb, "POST", "/tokens", { userId: "42", scopes: ["tweet.read"] })).status).toBe(404);
    expect((await control(sb, "POST", "/tokens", { userId: demo, scopes: ["root"] })).status).toBe(400);
  });

  it("counts API calls per user and reports the rate-limit window", async () => {
    const sb = sandbox();
    const id = await createUser(sb, "counter", 30);
    const t = await mint(sb, id);
    await bookmarksPage(sb, id, t.access_token, { max_results: "10" });
    await bookmarksPage(sb, id, t.access_token, { max_results: "10" });
    await apiGet(sb, "/2/users/me", t.access_token);
    const s = await control(sb, "GET", `/users/${id}/stats`);
    expect(s.body).toMatchObject({
      apiCalls: { bookmarks: 2, me: 1 },
      rateLimit: {
        bookmarks: { limit: 180, remaining: 178, reset: expect.any(Number), windowSeconds: 900 },
        me: { limit: 75, remaining: 74, reset: expect.any(Number), windowSeconds: 900 },
      },
    });
  });

  it("reset brings back the seeded state", async () => {
    const sb = sandbox();
    const demo = SEEDED_ACCOUNTS[0]!.id;
    const ids = (await control<{ ids: string[] }>(sb, "GET", `/users/${demo}/bookmarks`)).body.ids;
    const t = await mint(sb, demo);
    await createUser(sb, "temp", 3);
    await control(sb, "POST", `/users/${demo}/bookmarks`, { count: 2 });
    await control(sb, "PUT", "/faults", { errorRate: 1 });
    expect((await control(sb, "POST", "/reset")).status).toBe(200);
    expect((await control<{ ids: string[] }>(sb, "GET", `/users/${demo}/bookmarks`)).body.ids).toEqual(ids);
    expect(sb.store.userByUsername("temp")).toBeUndefined();
    expect(sb.store.faults).toEqual({});
    expect((await apiGet(sb, "/2/users/me", t.access_token)).status).toBe(401);
  });
});

describe("media", () => {
  it("serves avatars and media as cacheable SVG", async () => {
    const sb = sandbox();
    const demo = SEEDED_ACCOUNTS[0]!.id;
    const avatar = await sb.app.request(`/media/avatars/${demo}_normal.svg`);
    expect(avatar.status).toBe(200);
    expect(avatar.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(avatar.headers.get("cache-control")).toContain("max-age=31536000");
    expect(await avatar.text()).toMatch(/^<svg [^>]*>.*>D<\/text><\/svg>$/);
    const [a, b] = [...sb.store.media.values()].filter((m) => m.type === "photo");
    const svgA = await (await sb.app.request(a!.imagePath.replace(/\.jpg$/, ".svg"))).text();
    const svgB = await (await sb.app.request(b!.imagePath.replace(/\.jpg$/, ".svg"))).text();
    expect(svgA).toContain(`viewBox="0 0 ${a!.width} ${a!.height}"`);
    expect(svgA).not.toBe(svgB);
    const video = [...sb.store.media.values()].find((m) => m.type === "video")!;
    expect(await (await sb.app.request(video.imagePath.replace(/\.jpg$/, ".svg"))).text()).toContain("<polygon");
    expect((await sb.app.request("/media/nothing.png")).status).toBe(404);
  });

  it("serves JPEG photos in X's sizes (orig: as uploaded), MP4 variants, JPEG avatars; 404 once the post is deleted", async () => {
    const sb = sandbox();
    const demo = SEEDED_ACCOUNTS[0]!.id;
    const jpeg = async (path: string) => {
      const r = await sb.app.request(path);
      expect(r.status).toBe(200);
      expect(r.headers.get("content-type")).toBe("image/jpeg");
      const bytes = Buffer.from(await r.arrayBuffer());
      expect(bytes.subarray(0, 3).toString("hex")).toBe("ffd8ff");
      return sharp(bytes).metadata();
    };
    const photo = [...sb.store.media.values()].find((m) => m.type === "photo" && Math.max(m.width, m.height) > 1200)!;
    const orig = await jpeg(`${photo.imagePath}?name=orig`);
    expect([orig.width, orig.height]).toEqual([photo.width, photo.height]);
    expect(Math.max((await jpeg(photo.imagePath)).width!, (await jpeg(photo.imagePath)).height!)).toBe(1200);
    expect((await sb.app.request(`${photo.imagePath}?name=huge`)).status).toBe(404);
    expect((await jpeg(`/media/avatars/${demo}_normal.jpg`)).width).toBe(96);
    expect((await jpeg(`/media/avatars/${demo}.jpg`)).width).toBe(400);

    const video = [...sb.store.media.values()].find((m) => m.type === "video")!;
    const mp4s = video.variants!.filter((v) => v.content_type === "video/mp4");
    expect(mp4s.map((v) => v.bit_rate)).toEqual([256_000, 832_000, 2_176_000]);
    const best = await sb.app.request(mp4s[2]!.path);
    expect(best.status).toBe(200);
    expect(best.headers.get("content-type")).toBe("video/mp4");
    const bytes = Buffer.from(await best.arrayBuffer());
    expect(bytes.subarray(4, 8).toString("latin1")).toBe("ftyp");
    expect(bytes.includes(Buffer.from(`x-sandbox:${video.key}`))).toBe(true);
    const again = Buffer.from(await (await sb.app.request(mp4s[2]!.path)).arrayBuffer());
    expect(again.equals(bytes)).toBe(true);

    expect((await control(sb, "DELETE", `/posts/${photo.postId}`)).status).toBe(204);
    expect((await sb.app.request(`${photo.imagePath}?name=orig`)).status).toBe(404);
    expect((await control(sb, "DELETE", `/posts/${video.postId}`)).status).toBe(204);
    expect((await sb.app.request(mp4s[2]!.path)).status).toBe(404);
  }, 30_000);
});

describe("main.ts", () => {
  it("starts on X_SANDBOX_PORT, prints one line, answers health and exits cleanly on SIGTERM", async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
    const port = 40000 + Math.floor(Math.random() * 20000);
    const child = spawn(process.execPath, ["--import", "tsx", "sandbox/main.ts"], {
      cwd: root,
      env: { ...process.env, X_SANDBOX_PORT: String(port), X_SANDBOX_SEED: "3" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      for (let i = 0; i < 200 && !out.includes("listening"); i++) await new Promise((r) => setTimeout(r, 50));
      expect(out.trim()).toBe(`X sandbox listening on http://127.0.0.1:${port}`);
      const health = await fetch(`http://127.0.0.1:${port}/_sandbox/health`);
      expect(await health.json()).toEqual({ ok: true });
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
  }, 20_000);
});
