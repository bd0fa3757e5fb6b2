/**
 * The sandbox's in-memory state: X accounts, posts, media, bookmark lists, OAuth codes and
 * tokens, rate-limit windows, faults and per-user call counts. It fakes an outside system, so
 * memory is the right place for it; `reset()` brings back the seeded state.
 */
import { randomBytes } from "node:crypto";
import { DataGenerator, SEEDED_ACCOUNTS } from "./data";
import type { SandboxFolder } from "./folders";
import { PaginationTokens } from "./pagination";
import { Rng } from "./random";
import type { SandboxMedia, SandboxPost, SandboxUser } from "./types";

export interface ResolvedOptions {
  clientId: string;
  clientSecret: string;
  appName: string;
  publicUrl: string | undefined;
  tokenTtlSeconds: number;
  bookmarkCap: number;
  seed: number;
  seedAccounts: boolean;
  now: () => number;
}

export type Endpoint = "bookmarks" | "me" | "tweets" | "folders" | "bookmarkWrites";
export const ENDPOINTS: readonly Endpoint[] = ["bookmarks", "me", "tweets", "folders", "bookmarkWrites"];
/** Requests per user per 15 minutes (X's documented per-user limits; tweets = GET /2/tweets). */
export const DEFAULT_LIMITS: Record<Endpoint, number> = { bookmarks: 180, me: 75, tweets: 5_000, folders: 50, bookmarkWrites: 50 };
export const DEFAULT_WINDOW_SECONDS = 15 * 60;
export const CODE_TTL_MS = 30_000;

export interface Faults {
  latencyMs?: number;
  errorRate?: number;
  errorStatus?: number;
  timeoutRate?: number;
  /** Replaces the per-user window of every endpoint, or of the one named. */
  rateLimit?: { limit: number; windowSeconds: number; endpoint?: Endpoint };
  /** Every X API route answers 429 usage-capped (UsageCapExceededProblem) with this period. */
  usageCapped?: UsageCapPeriod;
  /** Probability that a post in a bookmarks page is served without `text` and `author_id`. */
  malformedRate?: number;
  /** Folder contents: only this many newest ids, and no pagination (as X is reported to do). */
  folderIdsCap?: number;
}

export type UsageCapPeriod = "Daily" | "Monthly";

export interface AccessTokenRecord {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

export interface RefreshTokenRecord {
  token: string;
  userId: string;
  clientId: string;
  scopes: string[];
  active: boolean;
  accessToken: string;
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  challenge: string;
  method: "S256" | "plain";
  expiresAt: number;
  used: boolean;
}

export interface TokenAnswer {
  token_type: "bearer";
  expires_in: number;
  access_token: string;
  scope: string;
  refresh_token?: string;
}

export interface RateWindow {
  limit: number;
  windowMs: number;
  used: number;
  resetAt: number;
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds. */
  reset: number;
}

/** One user's bookmarks, oldest bookmark first; each has a sequence number (its cursor). */
export class BookmarkList {
  readonly ids: string[] = [];
  readonly seqs: number[] = [];
  private nextSeq = 1;
  private bySeq = new Map<string, number>();

  get length(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.bySeq.has(id);
  }

  /** Adds as the most recent bookmark. */
  push(id: string): boolean {
    if (this.bySeq.has(id)) return false;
    const seq = this.nextSeq++;
    this.ids.push(id);
    this.seqs.push(seq);
    this.bySeq.set(id, seq);
    return true;
  }

  remove(id: string): boolean {
    const seq = this.bySeq.get(id);
    if (seq === undefined) return false;
    const i = this.lowerBound(seq);
    this.ids.splice(i, 1);
    this.seqs.splice(i, 1);
    this.bySeq.delete(id);
    return true;
  }

  /** First index whose seq is >= `seq`. */
  lowerBound(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.seqs[mid]! < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  newestFirst(): string[] {
    return this.ids.slice().reverse();
  }
}

export class ConflictError extends Error {}
export class NotFoundError extends Error {}

function token(kind: "at" | "rt" | "ac", now: number): string {
  // Shaped like X's: base64 of "<random>:<issued ms>:1:0:<kind>:1".
  return Buffer.from(`${randomBytes(32).toString("base64url")}:${now}:1:0:${kind}:1`).toString("base64url");
}

export class SandboxStore {
  readonly options: ResolvedOptions;
  /** Base URL of media and avatar links. */
  publicUrl: string;

  users = new Map<string, SandboxUser>();
  posts = new Map<string, SandboxPost>();
  media = new Map<string, SandboxMedia>();
  bookmarks = new Map<string, BookmarkList>();
  /** Each user's bookmark folders, oldest first. */
  folders = new Map<string, SandboxFolder[]>();
  accessTokens = new Map<string, AccessTokenRecord>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  codes = new Map<string, AuthCodeRecord>();
  faults: Faults = {};
  rateWindows = new Map<string, RateWindow>();
  calls = new Map<string, Record<Endpoint, number>>();
  /** Serialised posts per field selection (see api.ts); cleared on reset. */
  postCache = new Map<string, Map<string, string>>();

  data!: DataGenerator;
  faultRng!: Rng;
  pagination!: PaginationTokens;
  private usernames = new Map<string, string>();
  private accountCount = 0;
  private folderCount = 0;

  constructor(options: ResolvedOptions) {
    this.options = options;
    this.publicUrl = (options.publicUrl ?? "http://127.0.0.1:4010").replace(/\/$/, "");
    this.reset();
  }

  now(): number {
    return this.options.now();
  }

  /** Back to the seeded state: accounts, posts and bookmarks as generated; no tokens, faults or counts. */
  reset(): void {
    this.users = new Map();
    this.posts = new Map();
    this.media = new Map();
    this.bookmarks = new Map();
    this.folders = new Map();
    this.accessTokens = new Map();
    this.refreshTokens = new Map();
    this.codes = new Map();
    this.faults = {};
    this.rateWindows = new Map();
    this.calls = new Map();
    this.postCache = new Map();
    this.usernames = new Map();
    this.accountCount = 0;
    const seed = this.options.seed;
    this.faultRng = new Rng(`${seed}:faults`);
    this.pagination = new PaginationTokens(`x-sandbox:${seed}`);
    this.data = new DataGenerator(seed, this);
    for (const u of this.users.values()) this.usernames.set(u.username.toLowerCase(), u.id);
    if (this.options.seedAccounts) {
      for (const a of SEEDED_ACCOUNTS) {
        const user = this.data.accountUser(a, this.accountCount++);
        this.addUser(user);
        const list = new BookmarkList();
        for (const id of this.data.bookmarkPosts(a.username, a.bookmarks, a.prefer, { poolOnly: true })) list.push(id);
        this.bookmarks.set(user.id, list);
      }
    }
  }

  private addUser(u: SandboxUser): void {
    this.users.set(u.id, u);
    this.usernames.set(u.username.toLowerCase(), u.id);
  }

  // ---- accounts and bookmarks ------------------------------------------------------------

  /** Test accounts, for the consent page: seeded ones first, then newest created first. */
  accounts(): SandboxUser[] {
    const all = [...this.users.values()].filter((u) => u.account);
    const seeded = all
      .filter((u) => SEEDED_ACCOUNTS.some((a) => a.id === u.id))
      .sort((a, b) => (a.accountOrder ?? 0) - (b.accountOrder ?? 0));
    const created = all
      .filter((u) => !SEEDED_ACCOUNTS.some((a) => a.id === u.id))
      .sort((a, b) => (b.accountOrder ?? 0) - (a.accountOrder ?? 0));
    return [...seeded, ...created];
  }

  userByUsername(username: string): SandboxUser | undefined {
    const id = this.usernames.get(username.toLowerCase());
    return id ? this.users.get(id) : undefined;
  }

  account(id: string): SandboxUser | undefined {
    const u = this.users.get(id);
    return u?.account ? u : undefined;
  }

  createAccount(username: string, bookmarks: number, name?: string): SandboxUser {
    if (this.usernames.has(username.toLowerCase())) throw new ConflictError(`username ${username} is taken`);
    const user = this.data.newAccountUser(username, name ?? username, this.now(), this.accountCount++);
    this.addUser(user);
    const list = new BookmarkList();
    for (const id of this.data.bookmarkPosts(`user:${username.toLowerCase()}`, bookmarks)) list.push(id);
    this.bookmarks.set(user.id, list);
    return user;
  }

  /** X lets a person change their handle; the old one is free for anyone to take afterwards. */
  renameAccount(id: string, username: string): SandboxUser | undefined {
    const user = this.account(id);
    if (!user) return undefined;
    const holder = this.usernames.get(username.toLowerCase());
    if (holder !== undefined && holder !== id) throw new ConflictError(`username ${username} is taken`);
    this.usernames.delete(user.username.toLowerCase());
    user.username = username;
    this.usernames.set(username.toLowerCase(), id);
    // Serialised posts embed their authors' handles.
    this.postCache = new Map();
    return user;
  }

  bookmarkList(userId: string): BookmarkList {
    let list = this.bookmarks.get(userId);
    if (!list) {
      list = new BookmarkList();
      this.bookmarks.set(userId, list);
    }
    return list;
  }

  /** `count` new posts, created now, bookmarked now: the new top of the list (newest first). */
  addNewBookmarks(userId: string, count: number): string[] {
    const list = this.bookmarkList(userId);
    const added: string[] = [];
    let at = this.now();
    for (let i = 0; i < count; i++) {
      const post = this.data.makeNewestPost(at);
      at = Math.max(at, post.createdMs);
      list.push(post.id);
      added.push(post.id);
    }
    return added.reverse();
  }

  foldersOf(userId: string): SandboxFolder[] {
    return this.folders.get(userId) ?? [];
  }

  /** A new folder holding these posts (bookmarked too, if they were not); ids like X's. */
  createFolder(userId: string, name: string, tweetIds: string[]): SandboxFolder {
    const list = this.bookmarkList(userId);
    for (const id of tweetIds) list.push(id);
    const folder: SandboxFolder = {
      id: String(1_600_000_000_000_000_000n + BigInt(this.folderCount++)),
      name,
      ids: [...tweetIds].reverse(),
    };
    this.folders.set(userId, [...this.foldersOf(userId), folder]);
    return folder;
  }

  /** Un-bookmarks a post: as on X, it leaves the user's folders too. */
  removeBookmark(userId: string, postId: string): boolean {
    if (!this.bookmarkList(userId).remove(postId)) return false;
    for (const f of this.foldersOf(userId)) f.ids = f.ids.filter((id) => id !== postId);
    return true;
  }

  // ---- tokens ------------------------------------------------------------------------------

  issueTokens(userId: string, clientId: string, scopes: string[], ttlSeconds = this.options.tokenTtlSeconds): TokenAnswer {
    const now = this.now();
    const access: AccessTokenRecord = {
      token: token("at", now),
      userId,
      clientId,
      scopes,
      expiresAt: now + ttlSeconds * 1000,
      revoked: false,
    };
    const answer: TokenAnswer = { token_type: "bearer", expires_in: ttlSeconds, access_token: access.token, scope: scopes.join(" ") };
    if (scopes.includes("offline.access")) {
      const refresh: RefreshTokenRecord = { token: token("rt", now), userId, clientId, scopes, active: true, accessToken: access.token };
      access.refreshToken = refresh.token;
      this.refreshTokens.set(refresh.token, refresh);
      answer.refresh_token = refresh.token;
    }
    this.accessTokens.set(access.token, access);
    this.pruneTokens(now);
    return answer;
  }

  /** The user behind a live access token, or undefined (unknown, revoked or expired). */
  liveAccessToken(value: string): AccessTokenRecord | undefined {
    const rec = this.accessTokens.get(value);
    if (!rec || rec.revoked || this.now() >= rec.expiresAt) return undefined;
    return rec;
  }

  /** Refresh with rotation: the old refresh token stops working at once. */
  rotate(refreshToken: string, clientId: string): TokenAnswer | undefined {
    const rec = this.refreshTokens.get(refreshToken);
    if (!rec || !rec.active || rec.clientId !== clientId || !this.users.has(rec.userId)) return undefined;
    rec.active = false;
    return this.issueTokens(rec.userId, rec.clientId, rec.scopes);
  }

  /** Revokes an access or refresh token (revoking a refresh token also ends its access token). */
  revoke(value: string, clientId: string): void {
    const a = this.accessTokens.get(value);
    if (a && a.clientId === clientId) a.revoked = true;
    const r = this.refreshTokens.get(value);
    if (r && r.clientId === clientId) {
      r.active = false;
      const linked = this.accessTokens.get(r.accessToken);
      if (linked) linked.revoked = true;
    }
  }

  /** Every access token issued so far expires now; refresh tokens stay valid. */
  expireAccessTokens(): void {
    const now = this.now();
    for (const t of this.accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  createCode(rec: Omit<AuthCodeRecord, "code" | "expiresAt" | "used">): string {
    const now = this.now();
    const code = token("ac", now);
    this.codes.set(code, { ...rec, code, expiresAt: now + CODE_TTL_MS, used: false });
    if (this.codes.size > 500) {
      for (const [k, v] of this.codes) if (v.used || v.expiresAt <= now) this.codes.delete(k);
    }
    return code;
  }

  /** Drops long-dead tokens so a long-running sandbox does not grow without end. */
  private pruneTokens(now: number): void {
    if (this.accessTokens.size < 20_000) return;
    for (const [k, v] of this.accessTokens) if (v.revoked || v.expiresAt < now - 86_400_000) this.accessTokens.delete(k);
  }

  // ---- rate limits and counts --------------------------------------------------------------

  limitFor(endpoint: Endpoint): { limit: number; windowMs: number } {
    const f = this.faults.rateLimit;
    if (f && (f.endpoint === undefined || f.endpoint === endpoint)) return { limit: f.limit, windowMs: f.windowSeconds * 1000 };
    return { limit: DEFAULT_LIMITS[endpoint], windowMs: DEFAULT_WINDOW_SECONDS * 1000 };
  }

  private currentWindow(userId: string, endpoint: Endpoint, create: boolean): RateWindow | undefined {
    const key = `${userId}:${endpoint}`;
    const { limit, windowMs } = this.limitFor(endpoint);
    const now = this.now();
    let w = this.rateWindows.get(key);
    if (!w || now >= w.resetAt || w.limit !== limit || w.windowMs !== windowMs) {
      if (!create) return undefined;
      w = { limit, windowMs, used: 0, resetAt: now + windowMs };
      this.rateWindows.set(key, w);
    }
    return w;
  }

  /** Counts one request against the user's window for the endpoint. */
  consumeRate(userId: string, endpoint: Endpoint): RateDecision {
    const w = this.currentWindow(userId, endpoint, true)!;
    const reset = Math.ceil(w.resetAt / 1000);
    if (w.used >= w.limit) return { allowed: false, limit: w.limit, remaining: 0, reset };
    w.used++;
    return { allowed: true, limit: w.limit, remaining: w.limit - w.used, reset };
  }

  rateState(userId: string, endpoint: Endpoint) {
    const w = this.currentWindow(userId, endpoint, false);
    const { limit, windowMs } = this.limitFor(endpoint);
    return {
      limit,
      remaining: w ? Math.max(0, w.limit - w.used) : limit,
      reset: w ? Math.ceil(w.resetAt / 1000) : null,
      windowSeconds: windowMs / 1000,
    };
  }

  countCall(userId: string, endpoint: Endpoint): void {
    let c = this.calls.get(userId);
    if (!c) {
      c = { bookmarks: 0, me: 0, tweets: 0, folders: 0, bookmarkWrites: 0 };
      this.calls.set(userId, c);
    }
    c[endpoint]++;
  }
}
