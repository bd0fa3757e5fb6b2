/**
 * `npm test`: every test, against real services. Finds or starts Postgres and Redis (as
 * `npm run dev` does), gives the tests their own databases (recreated each run) and Redis
 * database, then runs Vitest (unit + integration) and Playwright (e2e, production build).
 *
 *   npm test                 everything (first: typecheck, lint and format check)
 *   npm test -- --unit       unit tests only (no services needed)
 *   npm test -- --int        integration tests only
 *   npm test -- --e2e        Playwright only
 * Anything after `--` that is not one of these goes to Vitest / Playwright as a filter.
 *
 * XB_TEST_SLOT=N (0-9) gives a run its own databases, Redis database and e2e ports, so two
 * checkouts on one machine can run their tests at the same time.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { Redis } from "ioredis";
import { dropDatabase, ensurePostgres, ensureRedis, prisma, ROOT, SetupError, withDatabase, type Service } from "./services";

const log = (m: string) => console.log(`\x1b[36m[test]\x1b[0m ${m}`);
const args = process.argv.slice(2);
const only = new Set(args.filter((a) => ["--unit", "--int", "--e2e"].includes(a)));
const filters = args.filter((a) => !only.has(a));
const want = (k: string) => only.size === 0 || only.has(k);
const started: Service[] = [];
const slot = Number(process.env.XB_TEST_SLOT ?? 0);
if (!Number.isInteger(slot) || slot < 0 || slot > 9) throw new SetupError("XB_TEST_SLOT must be a whole number from 0 to 9");
const dbName = (name: string) => (slot === 0 ? name : `${name}_${slot}`);

function run(cmd: string, cmdArgs: string[], env: NodeJS.ProcessEnv): boolean {
  log(`${cmd} ${cmdArgs.join(" ")}`);
  const r = spawnSync(path.join(ROOT, "node_modules/.bin", cmd), cmdArgs, { cwd: ROOT, env, stdio: "inherit" });
  return r.status === 0;
}

// Fixed test secrets: production mode (e2e) requires them.
const TEST_SECRETS = {
  // Random-looking (e2e runs the production build, which refuses weak secrets), and public: the
  // production build accepts them only in its sandboxed loopback runs (playwright.config.ts).
  NEXTAUTH_SECRET: "tS9vQ2mX7bLk4RzW1nYp8HcE3jFa6UdG0oKiVw5Zq",
  TOKEN_ENCRYPTION_KEY: "4f1c9a7e2b6d083519ce7fa42d60b3e8917a5c2f4e8b0d6139a7c5e2f08b4d61",
};

async function prepareDatabase(serverUrl: string, name: string, env: NodeJS.ProcessEnv): Promise<string> {
  const url = withDatabase(serverUrl, name);
  await dropDatabase(url);
  prisma(["migrate", "deploy"], { ...env, DATABASE_URL: url });
  return url;
}

async function main(): Promise<number> {
  const base: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    ...TEST_SECRETS,
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
  };
  prisma(["generate"], base);

  const vitestProjects = [...(want("--unit") ? ["unit"] : []), ...(want("--int") ? ["integration"] : [])];
  const needServices = want("--int") || want("--e2e");
  let serverUrl = "";
  let redisUrl = "";
  if (needServices) {
    const pgService = await ensurePostgres({ url: process.env.DATABASE_URL, log });
    const redisService = await ensureRedis({ url: process.env.REDIS_URL, log });
    started.push(pgService, redisService);
    serverUrl = pgService.url;
    // A Redis database of the tests' own, emptied each run.
    const r = new URL(redisService.url);
    r.pathname = `/${1 + slot}`;
    redisUrl = r.toString();
    const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
    await redis.flushdb();
    redis.disconnect();
    log(`Postgres: ${pgService.source}; Redis: ${redisService.source} (db ${1 + slot})`);
  }

  let ok = true;
  if (only.size === 0) {
    ok = run("tsc", ["--noEmit", "-p", "."], base) && ok;
    ok = run("eslint", ["."], base) && ok;
    ok = run("prettier", ["--check", "--log-level", "warn", "."], base) && ok;
  }
  if (vitestProjects.length > 0) {
    const env: NodeJS.ProcessEnv = { ...base, NODE_ENV: "test" };
    if (want("--int")) {
      env.DATABASE_URL = await prepareDatabase(serverUrl, dbName("xbookmarker_test"), env);
      env.REDIS_URL = redisUrl;
    } else {
      env.DATABASE_URL ??= `postgresql://postgres@127.0.0.1:5432/${dbName("xbookmarker_unit")}`;
    }
    ok = run("vitest", ["run", ...vitestProjects.flatMap((p) => ["--project", p]), ...filters], env) && ok;
  }

  if (want("--e2e")) {
    const env: NodeJS.ProcessEnv = { ...base, REDIS_URL: redisUrl, BULLMQ_PREFIX: "e2e" };
    env.DATABASE_URL = await prepareDatabase(serverUrl, dbName("xbookmarker_e2e"), env);
    ok = run("playwright", ["test", ...filters], env) && ok;
  }
  return ok ? 0 : 1;
}

main()
  .then(async (code) => {
    await Promise.allSettled(started.map((s) => s.stop()));
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    console.error(`\n\x1b[31m${err instanceof SetupError ? err.message : String((err as Error)?.stack ?? err)}\x1b[0m\n`);
    await Promise.allSettled(started.map((s) => s.stop()));
    process.exit(1);
  });
