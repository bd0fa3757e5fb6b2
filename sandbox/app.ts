/**
 * The X sandbox: a standalone fake of the X API v2 endpoints X Bookmarker uses and of X's
 * OAuth 2.0 PKCE flow, with deterministic data and switchable faults. `createSandbox()` builds
 * it; `listen(0)` serves it on a free port.
 */
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { Hono } from "hono";
import { apiRoutes } from "./api";
import { controlRoutes } from "./control";
import { FaultRunner } from "./faults";
import { lookupRoutes } from "./lookup";
import { mediaRoutes } from "./media";
import { oauthRoutes } from "./oauth";
import { genericProblem, problemResponse } from "./problems";
import { SandboxStore, type ResolvedOptions } from "./store";

export { SandboxStore } from "./store";
export type { FaultRunner } from "./faults";
export { SEEDED_ACCOUNTS } from "./data";

export interface SandboxOptions {
  /** Default: process.env.X_CLIENT_ID ?? "xbookmarker-local". */
  clientId?: string;
  /** Default: process.env.X_CLIENT_SECRET ?? "xbookmarker-local-secret". */
  clientSecret?: string;
  /** The app's name on the consent page. Default "X Bookmarker (sandbox)". */
  appName?: string;
  /** Base URL used in media/avatar URLs; default set from the listening address. */
  publicUrl?: string;
  /** Access-token lifetime in seconds, default 7200. */
  tokenTtlSeconds?: number;
  /** The "800 most recent" cap; default 800; 0 = no cap. */
  bookmarkCap?: number;
  /** PRNG seed, default 1. */
  seed?: number;
  /** Create the default test accounts (demo, hana_dev, sam_reads, empty_user), default true. */
  seedAccounts?: boolean;
  /** Clock in ms, default Date.now. */
  now?: () => number;
}

export interface RunningSandbox {
  url: string;
  port: number;
  close(): Promise<void>;
}

export function resolveOptions(opts: SandboxOptions = {}): ResolvedOptions {
  return {
    clientId: opts.clientId ?? process.env.X_CLIENT_ID ?? "xbookmarker-local",
    clientSecret: opts.clientSecret ?? process.env.X_CLIENT_SECRET ?? "xbookmarker-local-secret",
    appName: opts.appName ?? "X Bookmarker (sandbox)",
    publicUrl: opts.publicUrl,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 7200,
    bookmarkCap: opts.bookmarkCap ?? 800,
    seed: opts.seed ?? 1,
    seedAccounts: opts.seedAccounts ?? true,
    now: opts.now ?? Date.now,
  };
}

export function createSandbox(opts: SandboxOptions = {}): {
  app: Hono;
  store: SandboxStore;
  /** Delays and held requests of the fault switches (tests read `faults.pending`). */
  faults: FaultRunner;
  listen(port?: number, host?: string): Promise<RunningSandbox>;
} {
  const store = new SandboxStore(resolveOptions(opts));
  const faults = new FaultRunner(store);
  const app = new Hono();

  app.route("/", controlRoutes(store, faults));
  app.route("/", oauthRoutes(store));
  app.route("/", apiRoutes(store, faults));
  app.route("/", lookupRoutes(store, faults));
  app.route("/", mediaRoutes(store));
  app.get("/", (c) =>
    c.text(`X sandbox: a local fake of the X API v2 and X's OAuth 2.0. Consent page: /i/oauth2/authorize. Control API: /_sandbox/.\n`),
  );

  // Browsers ask every origin for one; a 404 would be a console error on the consent page, and
  // the e2e suite fails on console errors.
  app.get("/favicon.ico", (c) => c.body(null, 204));

  app.notFound((c) => {
    if (c.req.path.startsWith("/2/")) return problemResponse(genericProblem(404, "The requested resource could not be found."), 404);
    return c.text("Not Found", 404);
  });
  app.onError((err, c) => {
    console.error("[x-sandbox]", err);
    if (c.req.path.startsWith("/2/")) return problemResponse(genericProblem(500), 500);
    return c.text("Internal Server Error", 500);
  });

  async function listen(port = 0, host = "127.0.0.1"): Promise<RunningSandbox> {
    const server: ServerType = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s));
      s.once("error", reject);
    });
    const actual = (server.address() as AddressInfo).port;
    const urlHost = host.includes(":") ? `[${host}]` : host === "0.0.0.0" ? "127.0.0.1" : host;
    const url = `http://${urlHost}:${actual}`;
    if (opts.publicUrl === undefined) store.publicUrl = url;
    let closed: Promise<void> | undefined;
    return {
      url,
      port: actual,
      close() {
        closed ??= new Promise<void>((resolve) => {
          faults.releaseAll();
          server.close(() => resolve());
          const s = server as { closeIdleConnections?: () => void; closeAllConnections?: () => void };
          s.closeIdleConnections?.();
          // Held requests were just released; give their answers a moment, then cut the rest.
          setTimeout(() => s.closeAllConnections?.(), 50).unref();
        });
        return closed;
      },
    };
  }

  return { app, store, faults, listen };
}
