import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { AppRouter } from "~/server/api/root";
import { EditConflictError } from "~/server/bookmarks/conflict";
import { webMetrics } from "~/server/metrics";
import { redisKeys } from "~/server/sync/events";
import { errorOf } from "~/testing/errors";
import { createLibraryUser, seedBookmarks } from "~/testing/library-seed";
import { TEST_APP_ORIGIN, wsTestServerForFile } from "~/testing/ws-test-server";
import { changesAfterStart, changesSince, libraryChange, type LibraryChange } from "./changes";

/**
 * Issue 6, server side: the library change feed over a real authenticated WebSocket (isolation,
 * resume by last event id, resync), every write path publishing, edit conflicts and merges, and
 * the per-socket message limit.
 */
const t = wsTestServerForFile();

const sessionCookie = (userId: string) => t.srv.sessionCookie(userId);
const clientWithCookie = (cookie: string) => t.srv.clientWithCookie(cookie);

interface Received {
  id: string;
  data: LibraryChange;
}

/**
 * Subscribes to library.onChange and collects its changes; resolves once the subscription is live.
 * Without a last event id, the first event is the feed's position (`start`): kept apart.
 */
async function follow(cookie: string, lastEventId?: string) {
  const c = clientWithCookie(cookie);
  const events: Received[] = [];
  let start: string | null = null;
  let started = false;
  const sub = c.trpc.library.onChange.subscribe(lastEventId ? { lastEventId } : undefined, {
    onData: (e) => {
      if (e.data.kind === "start") start = e.id;
      else events.push({ id: e.id, data: e.data });
    },
    onStarted: () => (started = true),
  });
  if (lastEventId) {
    await expect.poll(() => started).toBe(true);
    // The channel subscription is made right after the start message; give Redis a moment.
    await new Promise((r) => setTimeout(r, 150));
  } else {
    // Sent once the channel is followed.
    await expect.poll(() => start).not.toBeNull();
  }
  return {
    events,
    start: start as string | null,
    close() {
      sub.unsubscribe();
      void c.wsClient.close();
    },
  };
}

async function libraryUser(n = 4) {
  const user = await createLibraryUser(t.h.db);
  const ids = await seedBookmarks(
    t.h.db,
    user.id,
    Array.from({ length: n }, (_, i) => ({ text: `post ${i}` })),
  );
  return { ...user, ids, cookie: await sessionCookie(user.id) };
}

/** The user's backlog, oldest first. */
async function backlog(userId: string): Promise<Received[]> {
  const entries = await t.h.services.redis.xrange(redisKeys.libraryChanges(userId), "-", "+");
  return entries.map(([id, fields]) => ({ id, data: libraryChange.parse(JSON.parse(fields[1]!)) }));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("library.onChange", () => {
  it("delivers a user's changes to that user's sockets only", async () => {
    const alice = await libraryUser();
    const bob = await libraryUser();
    const a = await follow(alice.cookie);
    const b = await follow(bob.cookie);

    await t.h.caller(alice.id, "tab-1").bookmarks.update({ id: alice.ids[0]!, note: "alice's" });
    await expect.poll(() => a.events.length).toBe(1);
    expect(a.events[0]!.data).toMatchObject({ kind: "bookmarks", action: "update", ids: [alice.ids[0]], by: "tab-1" });
    await t.h.caller(bob.id).bookmarks.update({ id: bob.ids[0]!, favorite: true });
    await expect.poll(() => b.events.length).toBe(1);
    await sleep(200);
    expect(a.events).toHaveLength(1);
    expect(b.events.map((e) => e.data.ids)).toEqual([[bob.ids[0]]]);
    // The edit's fields and version travel with it: other tabs patch their copy, no refetch.
    expect(a.events[0]!.data.bookmark).toEqual({ id: alice.ids[0], version: expect.any(Number), note: "alice's" });
    expect(b.events[0]!.data.bookmark).toEqual({ id: bob.ids[0], version: expect.any(Number), favorite: true });
    a.close();
    b.close();
  });

  it("resumes from the last event id: the missed events in order, then live ones", async () => {
    const u = await libraryUser();
    const first = await follow(u.cookie);
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "seen" });
    await expect.poll(() => first.events.length).toBe(1);
    const seen = first.events[0]!.id;
    first.close();

    for (const id of u.ids.slice(1)) await t.h.caller(u.id).bookmarks.update({ id, note: `missed ${id}` });
    const again = await follow(u.cookie, seen);
    await expect.poll(() => again.events.length).toBe(3);
    expect(again.events.map((e) => e.data.ids?.[0])).toEqual(u.ids.slice(1));
    const ids = again.events.map((e) => e.id);
    expect(ids.every((id) => id > seen)).toBe(true);

    await t.h.caller(u.id).tags.create({ name: "live" });
    await expect.poll(() => again.events.length).toBe(4);
    expect(again.events[3]!.data).toMatchObject({ kind: "tags", action: "create" });
    await sleep(200);
    expect(again.events).toHaveLength(4); // nothing repeated from the catch-up
    again.close();
  });

  it("tells a new follower where it stands, so one that drops before any change misses nothing", async () => {
    const u = await libraryUser();
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "before" });
    const newest = (await backlog(u.id)).at(-1)!.id;
    const first = await follow(u.cookie);
    expect(first.start).toBe(newest);
    expect(first.events).toHaveLength(0); // the change before it is not sent again
    first.close();

    await t.h.caller(u.id).bookmarks.update({ id: u.ids[1]!, note: "while away" });
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[2]!, note: "while away" });
    const again = await follow(u.cookie, first.start!);
    await expect.poll(() => again.events.length).toBe(2);
    expect(again.events.map((e) => e.data.ids?.[0])).toEqual([u.ids[1], u.ids[2]]);
    again.close();

    // What was written between reading the position and following the channel is sent after it.
    const position = (await backlog(u.id)).at(-1)!.id;
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[3]!, note: "in between" });
    expect((await changesAfterStart(t.h.services.redis, u.id, position)).map((m) => m.change.ids?.[0])).toEqual([u.ids[3]]);

    // With no backlog the position is 0-0, and resuming from it asks for a refetch.
    const fresh = await libraryUser();
    const f = await follow(fresh.cookie);
    expect(f.start).toBe("0-0");
    f.close();
    expect(await changesAfterStart(t.h.services.redis, fresh.id, "0-0")).toEqual([]);
    await t.h.caller(fresh.id).bookmarks.update({ id: fresh.ids[0]!, favorite: true });
    const back = await follow(fresh.cookie, "0-0");
    await expect.poll(() => back.events.length).toBe(1);
    expect(back.events[0]!.data.kind).toBe("resync");
    back.close();
  });

  it("answers a too-old or unknown id with one resync", async () => {
    const u = await libraryUser();
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "x" });
    const newest = (await backlog(u.id)).at(-1)!.id;
    const old = await follow(u.cookie, "1-0");
    await expect.poll(() => old.events.length).toBe(1);
    expect(old.events[0]).toMatchObject({ id: newest, data: { kind: "resync" } });
    old.close();

    // No backlog at all (expired, or never written).
    const fresh = await libraryUser();
    expect(await changesSince(t.h.services.redis, fresh.id, "1700000000000-0")).toEqual({ kind: "resync", id: "1700000000000-0" });
  });

  it("every write path publishes one change after its commit", async () => {
    const u = await libraryUser();
    const api = t.h.caller(u.id);
    await api.bookmarks.update({ id: u.ids[0]!, addTags: ["a", "b"] });
    await api.bookmarks.bulk({ ids: u.ids.slice(0, 2), action: { kind: "addTags", names: ["c"] } });
    await t.h.caller(u.id, "tab-9").bookmarks.bulk({ ids: [u.ids[3]!], action: { kind: "delete" } });
    await api.bookmarks.bulk({ ids: [u.ids[3]!], action: { kind: "restore" } });
    const tags = await api.tags.list();
    const id = (name: string) => tags.find((t) => t.name === name)!.id;
    await api.tags.rename({ id: id("a"), name: "aa" });
    await api.tags.merge({ sourceIds: [id("b")], targetId: id("c") });
    await api.tags.delete({ id: id("c") });
    const cat = await api.categories.create({ name: "Cat", color: "#112233" });
    await api.bookmarks.bulk({ ids: [u.ids[1]!], action: { kind: "setCategory", categoryId: cat.id } });
    await api.categories.update({ id: cat.id, name: "Cat 2" });
    await api.categories.delete({ id: cat.id });

    const got = (await backlog(u.id)).map((e) => [e.data.kind, e.data.action, e.data.ids ?? null]);
    expect(got).toEqual([
      ["bookmarks", "update", [u.ids[0]]],
      ["bookmarks", "update", expect.arrayContaining([u.ids[0], u.ids[1]])],
      ["bookmarks", "delete", [u.ids[3]]],
      ["bookmarks", "restore", [u.ids[3]]],
      ["tags", "rename", [u.ids[0]]],
      ["tags", "merge", [u.ids[0]]],
      ["tags", "delete", expect.arrayContaining([u.ids[0], u.ids[1]])],
      ["categories", "create", null],
      ["bookmarks", "update", [u.ids[1]]],
      ["categories", "update", [u.ids[1]]],
      ["categories", "delete", [u.ids[1]]],
    ]);
    expect((await backlog(u.id))[2]!.data.by).toBe("tab-9");
    expect(await t.h.services.redis.ttl(redisKeys.libraryChanges(u.id))).toBeGreaterThan(3600);
  });

  it("names the tab from the socket's connection param", async () => {
    const u = await libraryUser();
    const c = t.srv.clientWithCookie(u.cookie, "tab-ws");
    await c.trpc.tags.create.mutate({ name: "over the socket" });
    void c.wsClient.close();
    expect((await backlog(u.id)).at(-1)!.data).toMatchObject({ kind: "tags", action: "create", by: "tab-ws" });
  });

  it("a write that fails publishes nothing", async () => {
    const u = await libraryUser();
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "x" });
    const before = (await backlog(u.id)).length;
    await expect(t.h.caller(u.id, "tab-2").tags.rename({ id: 2_000_000_000, name: "nope" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await backlog(u.id)).length).toBe(before);
  });

  it("a sync publishes a change per saved page, with its counts, to the user's socket", async () => {
    const user = await t.h.createUser(30);
    const s = await follow(await sessionCookie(user.id));
    const { runId } = await t.h.caller(user.id).sync.start({ mode: "full" });
    await t.h.waitForRun(runId);
    await expect.poll(() => s.events.length, { timeout: 5000 }).toBeGreaterThan(0);
    const syncs = s.events.filter((e) => e.data.kind === "sync");
    expect(syncs.length).toBe(s.events.length);
    expect(syncs.reduce((n, e) => n + (e.data.counts?.created ?? 0), 0)).toBe(30);
    s.close();
  });
});

async function merges() {
  const metric = await webMetrics().register.getSingleMetric("xb_edit_merges_total")?.get();
  const of = (result: string) => metric?.values.find((v) => v.labels.result === result)?.value ?? 0;
  return { applied: of("applied"), auto_merged: of("auto_merged"), conflict: of("conflict") };
}

describe("edit conflicts", () => {
  it("a true clash on the note answers CONFLICT with the current state and applies nothing", async () => {
    const u = await libraryUser(1);
    const api = t.h.caller(u.id);
    const v0 = (await api.bookmarks.update({ id: u.ids[0]!, note: "start" })).version;
    await api.bookmarks.update({ id: u.ids[0]!, note: "theirs", baseVersion: v0, base: { note: "start" } });
    const before = await merges();

    const e = await errorOf(
      api.bookmarks.update({
        id: u.ids[0]!,
        note: "mine",
        favorite: true,
        addTags: ["x"],
        baseVersion: v0,
        base: { note: "start", favorite: false },
      }),
    );
    expect(e.code).toBe("CONFLICT");
    expect(e.cause).toBeInstanceOf(EditConflictError);
    const cause = e.cause as EditConflictError;
    expect(cause.fields).toEqual(["note"]);
    expect(cause.current).toMatchObject({ id: u.ids[0], note: "theirs", favorite: false, version: v0 + 1, tags: [] });
    expect(await merges()).toEqual({ ...before, conflict: before.conflict + 1 });
    const now = (await api.bookmarks.list({ limit: 10 })).items[0]!;
    expect(now).toMatchObject({ note: "theirs", favorite: false, version: v0 + 1, tags: [] });
  });

  it("the CONFLICT reaches a client with the current bookmark in the error's data", async () => {
    const u = await libraryUser(1);
    const v0 = (await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "start" })).version;
    await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: "theirs" });
    const c = clientWithCookie(u.cookie);
    const err = await c.trpc.bookmarks.update
      .mutate({ id: u.ids[0]!, note: "mine", baseVersion: v0, base: { note: "start" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCClientError);
    const data = (err as TRPCClientError<AppRouter>).data;
    expect(data?.code).toBe("CONFLICT");
    expect(data?.conflict?.fields).toEqual(["note"]);
    expect(data?.conflict?.current).toMatchObject({ id: u.ids[0], note: "theirs", version: v0 + 1 });
    expect(data?.conflict?.current.firstSeenAt).toBeInstanceOf(Date);
    void c.wsClient.close();
  });

  it("a note changed here and a category there merge", async () => {
    const u = await libraryUser(1);
    const api = t.h.caller(u.id);
    const cat = await api.categories.create({ name: "Elsewhere", color: "#123456" });
    const v0 = (await api.bookmarks.update({ id: u.ids[0]!, note: "start" })).version;
    await api.bookmarks.update({ id: u.ids[0]!, categoryId: cat.id, baseVersion: v0, base: { categoryId: null } });
    const before = await merges();
    const r = await api.bookmarks.update({ id: u.ids[0]!, note: "mine", baseVersion: v0, base: { note: "start" } });
    expect(r).toMatchObject({ result: "auto_merged", version: v0 + 2 });
    expect((await api.bookmarks.list({ limit: 10 })).items[0]).toMatchObject({ note: "mine", category: { id: cat.id } });
    expect(await merges()).toEqual({ ...before, auto_merged: before.auto_merged + 1 });
  });

  it("a tag added here and another removed there: both land", async () => {
    const u = await libraryUser(1);
    const api = t.h.caller(u.id);
    const v0 = (await api.bookmarks.update({ id: u.ids[0]!, addTags: ["old"] })).version;
    const old = (await api.tags.list()).find((t) => t.name === "old")!.id;
    await api.bookmarks.update({ id: u.ids[0]!, removeTagIds: [old], baseVersion: v0 });
    const r = await api.bookmarks.update({ id: u.ids[0]!, addTags: ["new"], baseVersion: v0 });
    expect(r.result).toBe("auto_merged");
    expect((await api.bookmarks.list({ limit: 10 })).items[0]!.tags.map((t) => t.name)).toEqual(["new"]);
  });

  it("a stale version without a clash is applied; a current one or none counts as applied", async () => {
    const u = await libraryUser(1);
    const api = t.h.caller(u.id);
    const before = await merges();
    const v1 = (await api.bookmarks.update({ id: u.ids[0]!, note: "a" })).version; // no baseVersion
    const v2 = (await api.bookmarks.update({ id: u.ids[0]!, favorite: true, baseVersion: v1, base: { favorite: false } })).version;
    // Based on v1, both sides set favorite to true; the note is still what this side saw.
    const r = await api.bookmarks.update({
      id: u.ids[0]!,
      favorite: true,
      note: "b",
      baseVersion: v1,
      base: { favorite: false, note: "a" },
    });
    expect(r).toMatchObject({ result: "auto_merged", version: v2 + 1 });
    expect((await api.bookmarks.list({ limit: 10 })).items[0]).toMatchObject({ note: "b", favorite: true });
    expect(await merges()).toEqual({ ...before, applied: before.applied + 2, auto_merged: before.auto_merged + 1 });
  });
});

describe("per-socket message limit", () => {
  it("closes a socket that sends 50 messages at once with 1008; a normal client is unaffected", async () => {
    const u = await libraryUser(1);
    const normal = await follow(u.cookie);

    const abusive = new WebSocket(t.srv.wsUrl, { headers: { cookie: u.cookie, origin: TEST_APP_ORIGIN } });
    await new Promise((r, j) => abusive.once("open", r).once("error", j));
    const closed = new Promise<{ code: number; reason: string }>((r) =>
      abusive.once("close", (code, reason) => r({ code, reason: reason.toString() })),
    );
    for (let i = 0; i < 50; i++) abusive.send("PING");
    expect(await closed).toEqual({ code: 1008, reason: "too many messages" });

    // The normal client keeps its socket and its events, at a sane pace.
    for (let i = 0; i < 3; i++) {
      await t.h.caller(u.id).bookmarks.update({ id: u.ids[0]!, note: `n${i}` });
      await sleep(100);
    }
    await expect.poll(() => normal.events.length).toBe(3);
    normal.close();
  });

  it("lets a steady 5 messages a second through", async () => {
    const u = await libraryUser(1);
    const ws = new WebSocket(t.srv.wsUrl, { headers: { cookie: u.cookie, origin: TEST_APP_ORIGIN } });
    await new Promise((r, j) => ws.once("open", r).once("error", j));
    let pongs = 0;
    ws.on("message", (m: Buffer) => (m.toString() === "PONG" ? pongs++ : undefined));
    for (let i = 0; i < 15; i++) {
      ws.send("PING");
      await sleep(200);
    }
    await expect.poll(() => pongs).toBe(15);
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });
});
