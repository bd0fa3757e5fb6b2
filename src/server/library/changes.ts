import type { Redis } from "ioredis";
import { z } from "zod";
import { env } from "~/env";
import { withTimeout } from "~/server/redis";
import { channels, redisKeys } from "~/server/sync/events";
import { clientIdSchema } from "~/shared/client-id";
import { libraryKeys } from "./cache";

/**
 * The change feed of a user's library: every committed write (an edit, a bulk action, a tag or
 * category change, a page saved by a sync) drops the user's cached pages and appends one
 * LibraryChange to a bounded per-user Redis stream, then publishes `{ id, change }` on the user's
 * channel. Sockets follow the channel; a socket that reconnects catches up from the stream by the
 * last id it saw (see the `library.onChange` subscription).
 */

/**
 * `start` is not a change: it is the feed's position, sent first to a subscription that starts
 * without a last event id, so that one which drops before any change still resumes from there.
 */
export const LIBRARY_CHANGE_KINDS = ["bookmarks", "tags", "categories", "sync", "resync", "start"] as const;
export type LibraryChangeKind = (typeof LIBRARY_CHANGE_KINDS)[number];

/** More bookmark ids than this in one change are left out: the client refetches instead. */
export const MAX_CHANGE_IDS = 500;
/** Entries kept per user (approximately: Redis trims whole nodes). */
export const CHANGE_BACKLOG = 1_000;
/** The stream expires this long after its last write. */
export const CHANGE_TTL_SECONDS = 24 * 3600;

/** A Redis stream id, `<ms>-<seq>`. */
export const streamIdSchema = z.string().regex(/^\d{1,20}-\d{1,20}$/, "Not an event id.");

/** Notes longer than this travel as a refetch, not in the event (the stream keeps 1,000 events). */
export const PATCH_NOTE_MAX = 2_000;

/**
 * One bookmark's edit as the other tabs apply it to their cached copy: the fields it set (as
 * saved) and the version it made. Tags are not carried (new tags' ids): such edits are refetched.
 */
export const bookmarkPatch = z.object({
  id: z.string(),
  version: z.number().int(),
  note: z.string().max(PATCH_NOTE_MAX).optional(),
  favorite: z.boolean().optional(),
  categoryId: z.number().int().nullable().optional(),
});
export type BookmarkPatch = z.infer<typeof bookmarkPatch>;

/** The patch for a saved edit (its input, as parsed, and the version it made); none when it cannot be patched in. */
export function editPatch(
  edit: { id: string; note?: string; favorite?: boolean; categoryId?: number | null; addTags?: unknown[]; removeTagIds?: unknown[] },
  version: number,
): BookmarkPatch | undefined {
  if (edit.addTags?.length || edit.removeTagIds?.length) return undefined;
  if (edit.note !== undefined && edit.note.length > PATCH_NOTE_MAX) return undefined;
  const patch: BookmarkPatch = { id: edit.id, version };
  if (edit.note !== undefined) patch.note = edit.note;
  if (edit.favorite !== undefined) patch.favorite = edit.favorite;
  if (edit.categoryId !== undefined) patch.categoryId = edit.categoryId;
  return patch;
}

export const libraryChange = z.object({
  kind: z.enum(LIBRARY_CHANGE_KINDS),
  /** Bookmarks touched; absent when unknown or more than MAX_CHANGE_IDS (refetch the view). */
  ids: z.array(z.string()).max(MAX_CHANGE_IDS).optional(),
  /** What happened: update, delete, restore, create, rename, merge, page… */
  action: z.string().max(40).optional(),
  /** The client id the mutation was sent with. */
  by: clientIdSchema.optional(),
  /** For `sync`: what the saved page brought. */
  counts: z.object({ created: z.number().int(), updated: z.number().int() }).optional(),
  /** For a one-bookmark edit: what other tabs patch their cached copy with (see editPatch). */
  bookmark: bookmarkPatch.optional(),
  at: z.string(),
});
export type LibraryChange = z.infer<typeof libraryChange>;

/** A change as callers describe it: ids are capped and the time is added here. */
export interface ChangeInput {
  kind: LibraryChangeKind;
  ids?: readonly string[];
  action?: string;
  by?: string | null;
  counts?: LibraryChange["counts"];
  bookmark?: BookmarkPatch;
}

export function toLibraryChange(input: ChangeInput, now = new Date()): LibraryChange {
  const change: LibraryChange = { kind: input.kind, at: now.toISOString() };
  if (input.ids && input.ids.length <= MAX_CHANGE_IDS) change.ids = [...input.ids];
  if (input.action) change.action = input.action;
  if (input.by) change.by = input.by;
  if (input.counts) change.counts = input.counts;
  if (input.bookmark) change.bookmark = input.bookmark;
  return change;
}

/** What travels on the user's channel. */
export const libraryChangeMessage = z.object({ id: streamIdSchema, change: libraryChange });
export type LibraryChangeMessage = z.infer<typeof libraryChangeMessage>;

// One round trip, atomic: bump the cache version (so a client refetching on the event reads fresh
// pages), append to the capped stream, refresh its TTL, publish with the new id. Being one script,
// publishes reach subscribers in stream-id order.
const PUBLISH_SCRIPT = `
redis.call('INCR', KEYS[1])
local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'json', ARGV[1])
redis.call('EXPIRE', KEYS[2], ARGV[3])
redis.call('PUBLISH', ARGV[4], '{"id":"' .. id .. '","change":' .. ARGV[1] .. '}')
return id`;

/**
 * Invalidates the user's library cache and publishes the change; resolves to its event id.
 * Rejects when Redis does: call it after the commit, and let a write fail rather than report
 * success while other tabs (and this user's cached pages) stay stale.
 */
export async function publishLibraryChange(redis: Redis, userId: string, input: ChangeInput, timeoutMs?: number): Promise<string> {
  const json = JSON.stringify(toLibraryChange(input));
  // Before the publish on the same connection, so the mark is there when a tab refetches on the event.
  const marked = redis.set(libraryKeys.recentWrite(userId), "1", "PX", env.REPLICA_AFTER_WRITE_MS);
  const published = redis.eval(
    PUBLISH_SCRIPT,
    2,
    libraryKeys.version(userId),
    redisKeys.libraryChanges(userId),
    json,
    String(CHANGE_BACKLOG),
    String(CHANGE_TTL_SECONDS),
    channels.libraryChanges(userId),
  ) as Promise<string>;
  const run = Promise.all([marked, published]).then(([, id]) => id);
  return timeoutMs === undefined ? run : withTimeout(run, timeoutMs);
}

/** The web's write side of the feed (on WebServices as `library`). */
export class LibraryFeed {
  constructor(
    private readonly redis: Redis,
    private readonly timeoutMs = 500,
    /** Called after each published change (services.ts: queues a cache warm after bulk edits). */
    private readonly onChanged?: (userId: string, change: ChangeInput) => void,
  ) {}

  /** Invalidate + publish; see publishLibraryChange. */
  async changed(userId: string, change: ChangeInput): Promise<string> {
    const id = await publishLibraryChange(this.redis, userId, change, this.timeoutMs);
    this.onChanged?.(userId, change);
    return id;
  }
}

/** A change to many bookmarks at once (a bulk edit): worth warming the default view after. */
export function isBulkChange(change: ChangeInput): boolean {
  return change.kind === "bookmarks" && (change.ids === undefined || change.ids.length > 1);
}

/** Orders stream ids (`ms-seq`) numerically. */
export function compareStreamIds(a: string, b: string): number {
  const [am = "0", as = "0"] = a.split("-");
  const [bm = "0", bs = "0"] = b.split("-");
  const ms = BigInt(am) - BigInt(bm);
  if (ms !== 0n) return ms < 0n ? -1 : 1;
  const seq = BigInt(as) - BigInt(bs);
  return seq === 0n ? 0 : seq < 0n ? -1 : 1;
}

type StreamEntry = [id: string, fields: string[]];

function parseEntry([id, fields]: StreamEntry): LibraryChangeMessage | null {
  const at = fields.indexOf("json");
  const raw = at >= 0 ? fields[at + 1] : undefined;
  if (raw === undefined) return null;
  try {
    const change = libraryChange.safeParse(JSON.parse(raw));
    return change.success ? { id, change: change.data } : null;
  } catch {
    return null;
  }
}

export type CatchUp = { kind: "events"; events: LibraryChangeMessage[] } | { kind: "resync"; id: string };

/**
 * The id of the user's newest change: where a new follower stands. "0-0" when the backlog is
 * empty or expired (a resume from there asks the client to refetch, which loses nothing).
 */
export async function latestChangeId(redis: Redis, userId: string): Promise<string> {
  const [newest] = await redis.xrevrange(redisKeys.libraryChanges(userId), "+", "-", "COUNT", 1);
  return newest?.[0] ?? "0-0";
}

/**
 * The changes written since a new follower's position was read (a moment ago): those after it,
 * or, when the backlog was empty then ("0-0"), all there are now.
 */
export async function changesAfterStart(redis: Redis, userId: string, startAt: string): Promise<LibraryChangeMessage[]> {
  const from = startAt === "0-0" ? "-" : `(${startAt}`;
  const entries = (await redis.xrange(redisKeys.libraryChanges(userId), from, "+")) as StreamEntry[];
  return entries.map(parseEntry).filter((m): m is LibraryChangeMessage => m !== null);
}

/**
 * The user's changes after `lastEventId` (exclusive), oldest first; or `resync` when some of them
 * may be gone (the id is older than the backlog's first entry, or the backlog expired), with the
 * id to resume from after the client has refetched.
 */
export async function changesSince(redis: Redis, userId: string, lastEventId: string): Promise<CatchUp> {
  const key = redisKeys.libraryChanges(userId);
  const results = await redis.multi().xrange(key, "-", "+", "COUNT", 1).xrange(key, `(${lastEventId}`, "+").exec();
  if (!results) throw new Error("Redis transaction aborted");
  for (const [err] of results) if (err) throw err;
  const first = results[0]![1] as StreamEntry[];
  const after = results[1]![1] as StreamEntry[];
  const firstId = first[0]?.[0];
  if (firstId === undefined) return { kind: "resync", id: lastEventId };
  if (compareStreamIds(lastEventId, firstId) < 0) return { kind: "resync", id: after.at(-1)?.[0] ?? firstId };
  return { kind: "events", events: after.map(parseEntry).filter((m): m is LibraryChangeMessage => m !== null) };
}
