import { serverEnv } from "../playwright.config";
import { freePort, startNodeProcess, type NodeProcess } from "../src/testing/node-process";

/**
 * More of our production processes beside the ones Playwright starts (web A on 3110, one worker),
 * on the same database, Redis and sandbox: the scale-out topology of `npm run dev:cluster`.
 */
export interface ExtraServer extends NodeProcess {
  url: string;
}

/**
 * A second web process on `port` (a free one if not given). The session cookie is per host, not
 * per port, so a log-in on web A holds here too. Its own origin is allowed (ALLOWED_ORIGINS): in a
 * real scale-out both sit behind one public origin, here they differ by port. `env` adds settings;
 * with `ownLogIn`, its NEXTAUTH_URL is its own, so a log-in started there comes back to it (its
 * `events.signIn` runs).
 */
export async function startWeb(port?: number, opts: { env?: Record<string, string>; ownLogIn?: boolean } = {}): Promise<ExtraServer> {
  const p = port ?? (await freePort());
  const url = `http://127.0.0.1:${p}`;
  const proc = await startNodeProcess({
    name: `web on port ${p}`,
    args: ["--enable-source-maps", "dist/web.mjs"],
    env: { ...serverEnv, PORT: String(p), ALLOWED_ORIGINS: url, ...(opts.ownLogIn && { NEXTAUTH_URL: url }), ...opts.env },
    healthUrl: `${url}/api/health`,
  });
  return Object.assign(proc, { url });
}

/** A second worker. */
export async function startWorker(): Promise<ExtraServer> {
  const p = await freePort();
  const url = `http://127.0.0.1:${p}`;
  const proc = await startNodeProcess({
    name: "second worker",
    args: ["--enable-source-maps", "dist/worker.mjs"],
    env: { ...serverEnv, WORKER_PORT: String(p) },
    healthUrl: `${url}/health`,
  });
  return Object.assign(proc, { url });
}
