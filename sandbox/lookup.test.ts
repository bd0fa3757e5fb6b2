import { describe, expect, it } from "vitest";
import { apiGet, control, createUser, mint, sandbox, type Page } from "./test-utils";

const FIELDS =
  "tweet.fields=created_at,author_id,attachments,note_tweet&expansions=author_id,attachments.media_keys&user.fields=username&media.fields=url,type";

async function lookup(sb: ReturnType<typeof sandbox>, token: string, ids: string[], extra = FIELDS) {
  const res = await apiGet(sb, `/2/tweets?ids=${ids.join(",")}${extra ? `&${extra}` : ""}`, token);
  return { res, body: (await res.json()) as Page & { title?: string; errors?: Record<string, unknown>[] } };
}

describe("GET /2/tweets?ids= (post lookup)", () => {
  it("answers like a bookmarks page: data in the order asked, includes, rate-limit headers", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "looker", 150);
    const t = await mint(sb, id);
    const ids = (await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids.slice(0, 100);
    const { res, body } = await lookup(sb, t.access_token, ids);
    expect(res.status).toBe(200);
    expect(body.data!.map((p) => p.id)).toEqual(ids);
    expect(body.data![0]).toMatchObject({
      id: ids[0],
      text: expect.any(String),
      author_id: expect.any(String),
      created_at: expect.any(String),
    });
    expect(body.includes!.users!.length).toBeGreaterThan(0);
    expect(body.errors).toBeUndefined();
    expect(res.headers.get("x-rate-limit-limit")).toBe("5000");
    expect(res.headers.get("x-rate-limit-remaining")).toBe("4999");
    expect(Number(res.headers.get("x-rate-limit-reset"))).toBeGreaterThan(Date.now() / 1000);
    // Counted per endpoint on the control API.
    const user = await control<{ apiCalls: Record<string, number>; rateLimit: Record<string, { remaining: number }> }>(
      sb,
      "GET",
      `/users/${id}`,
    );
    expect(user.body.apiCalls).toEqual({ bookmarks: 0, me: 0, tweets: 1, folders: 0, bookmarkWrites: 0 });
    expect(user.body.rateLimit.tweets!.remaining).toBe(4999);
  });

  it("reports deleted and unknown ids in errors[] of the same 200 answer", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "looker", 5);
    const t = await mint(sb, id);
    const ids = (await control<{ ids: string[] }>(sb, "GET", `/users/${id}/bookmarks`)).body.ids;
    expect((await control(sb, "DELETE", `/posts/${ids[1]}`)).status).toBe(204);
    const { res, body } = await lookup(sb, t.access_token, [...ids, "42"]);
    expect(res.status).toBe(200);
    expect(body.data!.map((p) => p.id)).toEqual([ids[0], ids[2], ids[3], ids[4]]);
    expect(body.errors).toEqual([
      expect.objectContaining({ resource_id: ids[1], parameter: "ids", type: "https://api.x.com/2/problems/resource-not-found" }),
      expect.objectContaining({ resource_id: "42", value: "42", title: "Not Found Error" }),
    ]);
  });

  it("refuses bad ids lists with X's invalid-request problem", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "looker", 1);
    const t = await mint(sb, id);
    for (const q of ["", "ids=", "ids=abc", `ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(",")}`, "ids=1&bogus=2"]) {
      const res = await apiGet(sb, `/2/tweets?${q}`, t.access_token);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { type: string }).type).toBe("https://api.x.com/2/problems/invalid-request");
    }
    expect((await apiGet(sb, "/2/tweets?ids=1")).status).toBe(401);
    const noScope = await mint(sb, id, ["users.read"]);
    expect((await apiGet(sb, "/2/tweets?ids=1", noScope.access_token)).status).toBe(403);
  });

  it("has its own per-user window, configurable through the rateLimit fault", async () => {
    const sb = sandbox({ seedAccounts: false });
    const id = await createUser(sb, "looker", 1);
    const t = await mint(sb, id);
    expect((await control(sb, "PUT", "/faults", { rateLimit: { limit: 2, windowSeconds: 60, endpoint: "tweets" } })).status).toBe(200);
    expect((await apiGet(sb, "/2/tweets?ids=1", t.access_token)).status).toBe(200);
    expect((await apiGet(sb, "/2/tweets?ids=1", t.access_token)).status).toBe(200);
    const third = await apiGet(sb, "/2/tweets?ids=1", t.access_token);
    expect(third.status).toBe(429);
    expect(third.headers.get("x-rate-limit-remaining")).toBe("0");
    // Other endpoints keep X's defaults.
    const me = await apiGet(sb, "/2/users/me", t.access_token);
    expect(me.headers.get("x-rate-limit-limit")).toBe("75");
  });
});
