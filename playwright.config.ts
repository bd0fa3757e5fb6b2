import { tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * End-to-end: the X sandbox and the production builds of the web app and the worker, on ports of
 * their own, against the database and Redis `npm test` prepared (scripts/test.ts).
 */
// XB_TEST_SLOT (scripts/test.ts) moves the ports so two checkouts can run e2e at once.
const SLOT_OFFSET = Number(process.env.XB_TEST_SLOT ?? 0) * 20;
const APP_PORT = 3110 + SLOT_OFFSET;
const WORKER_PORT = 3111 + SLOT_OFFSET;
// 4190 (slot 4) is on the Fetch standard's list of blocked ports: Node's fetch refuses it.
const SANDBOX_PORT = 4110 + SLOT_OFFSET === 4190 ? 4191 : 4110 + SLOT_OFFSET;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;

/** Debian's Chromium on these machines; without the background-networking flags it floods the closed network. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/** The environment our servers run with (specs start more of them: e2e/processes.ts). */
export const serverEnv: Record<string, string> = {
  ...(process.env as Record<string, string>),
  NODE_ENV: "production",
  NEXT_TELEMETRY_DISABLED: "1",
  PORT: String(APP_PORT),
  WORKER_PORT: String(WORKER_PORT),
  X_SANDBOX_PORT: String(SANDBOX_PORT),
  X_API_URL: SANDBOX_URL,
  // One host name everywhere, or the session cookie would not match.
  NEXTAUTH_URL: APP_URL,
  BULLMQ_PREFIX: process.env.BULLMQ_PREFIX ?? "e2e",
  // The production build over http against the sandbox, on loopback only: both explicit opt-ins
  // (README "Sessions and configuration"); production refuses either without them.
  ALLOW_INSECURE_HTTP: "true",
  ALLOW_X_SANDBOX: "true",
  // The media archive's files, shared by the web and the worker (one directory per test slot).
  MEDIA_DIR: path.join(tmpdir(), `xb-e2e-media-${process.env.XB_TEST_SLOT ?? 0}`),
};

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: CHROMIUM_ARGS,
    },
  },
  // In order: the sandbox, then the web app (its build also builds dist/worker.mjs), then the worker.
  webServer: [
    { command: "tsx sandbox/main.ts", url: `${SANDBOX_URL}/_sandbox/health`, env: serverEnv, reuseExistingServer: false, timeout: 60_000 },
    {
      command: "npm run build && node --enable-source-maps dist/web.mjs",
      url: `${APP_URL}/login`,
      env: serverEnv,
      reuseExistingServer: false,
      timeout: 300_000,
      stdout: "pipe",
    },
    {
      command: "node --enable-source-maps dist/worker.mjs",
      url: `http://127.0.0.1:${WORKER_PORT}/health`,
      env: serverEnv,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
