/**
 * `npm run bench:realtime` (issue #6): the change feed's fan-out on one web process.
 *
 * The web process is a child `node --import tsx bench/realtime.ts --serve`: a bare node:http
 * server with the app's own tRPC WebSocket (`attachTrpcWebSocket` from src/server/ws.ts: the
 * session check on upgrade, the app router, createWebServices' Redis fan-out), without Next.js
 * (no pages are served here, so its RSS is the WebSocket side's plus the modules it loads).
 * This process holds the sockets and is the writer:
 *
 * - 100 users, each with a next-auth database session (Session rows, as after a login);
 * - N WebSockets (`--sockets 1000,5000,10000`; the rounds add sockets, socket i belongs to user
 *   i % 100), each carrying its user's session cookie and subscribed to `library.onChange`
 *   with the tRPC WebSocket wire protocol (JSON-RPC messages, superjson input, PING → PONG);
 * - once every subscription has delivered a probe event, a writer calls publishLibraryChange
 *   (the Redis script a committed edit ends with) for random users at `--rate` edits/s for
 *   `--seconds` s;
 * - latency = time an event reaches a socket − time the writer called publish (both on this
 *   process's monotonic clock), for every delivery to every socket of that user.
 *
 * Prints per round: sockets held, deliveries expected vs received, latency p50/p99/max, the web
 * process's RSS (from /proc) and this client process's RSS, plus the file-descriptor limit.
 * Target (printed, never asserted): p99 < 100 ms. Own database xb_bench_rt, own Redis database 11
 * (only that one is flushed). Exits 0 unless the bench itself fails.
 *
 *   npm run bench:realtime [-- --sockets 1000,5000 --rate 50 --seconds 10]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import WebSocket from "ws";
import { benchServices, intOption } from "./bench-env";
import { dropDatabase, prisma, ROOT } from "../scripts/services";

const { values: opt } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    sockets: { type: "string", default: "1000,5000,10000" },
    users: { type: "string", default: "100" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
  },
});

const DB_NAME = "xb_bench_rt";
const REDIS_DB = 11;
const TARGET_P99_MS = 100;
const log = (m: string) => console.log(`[bench] ${m}`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Stats the web child answers over IPC. */
interface ServerStats {
  type: "stats";
  clients: number;
  channels: number;
  rssBytes: number;
}

/** The origin the bench's sockets send (and its web process accepts). */
const BENCH_ORIGIN = "http://bench.test";

// ---------------------------------------------------------------------------------------------
// The web process (child)
// ---------------------------------------------------------------------------------------------

async function serve(): Promise<void> {
  const { createPrisma } = await import("~/server/db");
  const { createWebServices } = await import("~/server/services");
  const { attachTrpcWebSocket } = await import("~/server/ws");
  const { createLogger } = await import("~/server/logger");
  const logger = createLogger("web", "warn");
  const services = createWebServices({ db: createPrisma(), redisUrl: process.env.REDIS_URL!, prefix: "benchrt" });
  const server = createServer((_req, res) => res.writeHead(404).end());
  // The bench's sockets say they come from the app's own pages, as a browser's would.
  const sockets = attachTrpcWebSocket(server, () => services, { logger, allowedOrigins: () => new Set([BENCH_ORIGIN]) });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  process.on("message", (m: unknown) => {
    if (m === "stats") {
      const stats: ServerStats = {
        type: "stats",
        clients: sockets.wss.clients.size,
        channels: services.fanout.channelCount,
        rssBytes: process.memoryUsage().rss,
      };
      process.send?.(stats);
    }
  });
  const stop = () => {
    sockets.close();
    void services.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("disconnect", stop);
  process.send?.({ type: "ready", port: (server.address() as AddressInfo).port });
}

// ---------------------------------------------------------------------------------------------
// The bench (parent): sockets and the writer
// ---------------------------------------------------------------------------------------------

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function procLimit(name: string): string {
  try {
    const line = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((l) => l.startsWith(name));
    return line ? line.slice(name.length).trim().split(/\s+/).slice(0, 2).join(" / ") : "?";
  } catch {
    return "?";
  }
}

function rssOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(/(\d+)\s*kB/.exec(status.split("\n").find((l) => l.startsWith(key)) ?? "")?.[1] ?? NaN);
  return { rss: kb("VmRSS:") * 1024, peak: kb("VmHWM:") * 1024 };
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

interface Sub {
  ws: WebSocket;
  user: number;
  started: boolean;
  probed: boolean;
  closed: boolean;
}

/** What the writer published and when (performance.now()). */
interface Published {
  user: number;
  at: number;
  expected: number;
}

async function main(): Promise<void> {
  const rounds = (opt.sockets ?? "")
    .split(",")
    .map((s) => intOption("sockets", s.trim(), 1, 60_000))
    .sort((a, b) => a - b);
  const USERS = intOption("users", opt.users!, 1, 10_000);
  const RATE = intOption("rate", opt.rate!, 1, 10_000);
  const SECONDS = intOption("seconds", opt.seconds!, 1, 600);

  const closers: (() => Promise<unknown>)[] = [];
  const { dbUrl, redisUrl, env, stop } = await benchServices({ log, dbName: DB_NAME, redisDb: REDIS_DB, prefix: "benchrt" });
  closers.push(stop);
  // The writer imports app modules that read the environment on load.
  Object.assign(process.env, env);
  const { publishLibraryChange } = await import("~/server/library/changes");
  const { TRPC_WS_PATH } = await import("~/trpc/ws-path");

  await dropDatabase(dbUrl);
  prisma(["migrate", "deploy"], env);
  const redis = new Redis(redisUrl.toString());
  await redis.flushdb();

  // Users and sessions, as after 100 logins.
  const users: { id: string; cookie: string }[] = [];
  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  for (let i = 0; i < USERS; i++) {
    const id = `rt-user-${i}`;
    const token = randomUUID();
    await client.query(`INSERT INTO "User" (id, name, "updatedAt") VALUES ($1, $2, now())`, [id, `Realtime ${i}`]);
    await client.query(`INSERT INTO "Session" (id, "sessionToken", "userId", expires) VALUES ($1, $2, $3, now() + interval '1 day')`, [
      `rt-s-${i}`,
      token,
      id,
    ]);
    users.push({ id, cookie: `next-auth.session-token=${token}` });
  }
  await client.end();

  // The web process: plain node with tsx as a loader, so its pid is the one whose RSS we read.
  const web: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "bench/realtime.ts"), "--serve"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  closers.unshift(async () => {
    if (web.exitCode !== null || web.signalCode !== null) return;
    const exited = new Promise((r) => web.once("exit", r));
    web.kill("SIGTERM");
    if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) web.kill("SIGKILL");
  });
  const port = await new Promise<number>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("the web process did not start within 60 s")), 60_000);
    web.on("message", (m: { type?: string; port?: number }) => {
      if (m.type === "ready" && m.port) {
        clearTimeout(t);
        resolve(m.port);
      }
    });
    web.once("exit", (code) => reject(new Error(`the web process exited (${code})`)));
  });
  const wsUrl = `ws://127.0.0.1:${port}${TRPC_WS_PATH}`;
  const serverStats = () =>
    new Promise<ServerStats>((resolve) => {
      const onMessage = (m: { type?: string }) => {
        if (m.type !== "stats") return;
        web.off("message", onMessage);
        resolve(m as ServerStats);
      };
      web.on("message", onMessage);
      web.send("stats");
    });

  const fdLimit = procLimit("Max open files");
  const portRange = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().replace(/\s+/, "–");
  const idle = rssOf(web.pid!);
  log(
    `web process: pid ${web.pid}, bare node:http + attachTrpcWebSocket (no Next.js, tsx loader), ${wsUrl}; RSS before any socket ${mb(idle.rss)} MB`,
  );
  log(
    `open files (soft / hard), this process and the web alike: ${fdLimit}; ephemeral ports ${portRange}; ${availableParallelism()} CPUs; load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const softFds = Number(fdLimit.split(" / ")[0]);
  const largest = rounds.at(-1)!;
  if (Number.isFinite(softFds) && largest + 200 > softFds) {
    log(
      `WARNING: ${largest} sockets need ~${largest + 200} descriptors per process, over the soft limit ${softFds}: raise it (ulimit -n) or expect failed connections`,
    );
  }

  // --- sockets ---
  const subs: Sub[] = [];
  const published = new Map<number, Published>();
  let latencies: number[] = [];
  let delivered = 0;
  let probeSeq = -1;
  let connectFailures = 0;
  let unexpectedCloses = 0;
  const subscribeMessage = JSON.stringify({ id: 1, method: "subscription", params: { path: "library.onChange", input: { json: {} } } });

  function open(index: number): Promise<void> {
    const user = index % USERS;
    return new Promise((resolve) => {
      const ws = new WebSocket(wsUrl, { headers: { cookie: users[user]!.cookie, origin: BENCH_ORIGIN }, perMessageDeflate: false });
      const sub: Sub = { ws, user, started: false, probed: false, closed: false };
      let settled = false;
      const settle = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      ws.on("open", () => {
        subs.push(sub);
        ws.send(subscribeMessage);
        settle();
      });
      ws.on("message", (raw: Buffer, isBinary: boolean) => {
        const now = performance.now();
        if (isBinary) return;
        const text = raw.toString();
        if (text === "PING") {
          ws.send("PONG");
          return;
        }
        if (text === "PONG") return;
        const msg = JSON.parse(text) as { result?: { type?: string; data?: { json?: { data?: { action?: string } } } }; error?: unknown };
        if (msg.error) {
          console.error("[bench] subscription error:", JSON.stringify(msg.error).slice(0, 300));
          return;
        }
        if (msg.result?.type === "started") {
          sub.started = true;
          return;
        }
        // A tracked() event: the superjson-encoded { id, data } envelope.
        const action = msg.result?.data?.json?.data?.action ?? "";
        if (action.startsWith("probe:")) {
          if (Number(action.slice(6)) === probeSeq) sub.probed = true;
          return;
        }
        if (action.startsWith("bench:")) {
          const p = published.get(Number(action.slice(6)));
          if (!p) return;
          delivered++;
          latencies.push(now - p.at);
        }
      });
      ws.on("unexpected-response", (_req, res) => {
        connectFailures++;
        console.error(`[bench] upgrade refused: ${res.statusCode}`);
        ws.terminate();
        settle();
      });
      ws.on("error", (err) => {
        if (!settled) {
          connectFailures++;
          if (connectFailures <= 5) console.error(`[bench] connect failed: ${err.message}`);
        }
        settle();
      });
      ws.on("close", () => {
        if (settled && subs.includes(sub) && !sub.closed) unexpectedCloses++;
        sub.closed = true;
      });
    });
  }

  /** Opens sockets `from`..`to`-1, at most `parallel` handshakes at a time. */
  async function openRange(from: number, to: number, parallel = 200): Promise<void> {
    let next = from;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < to) await open(next++);
      }),
    );
  }

  async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (check()) return true;
      await sleep(50);
    }
    return check();
  }

  const liveSubs = () => subs.filter((s) => !s.closed);
  let seq = 0;
  const results: string[][] = [];
  let opened = 0;
  for (const target of rounds) {
    const t0 = performance.now();
    await openRange(opened, target);
    opened = target;
    const connectSeconds = (performance.now() - t0) / 1000;
    const startedAll = await waitUntil(() => liveSubs().every((s) => s.started), 60_000);

    // Probe: one event per user until every socket has one, so the measured window starts with
    // every subscription following its channel (tRPC answers `started` before the generator runs).
    probeSeq = -1 - seq++;
    const probeEnd = Date.now() + 60_000;
    let probedAll = false;
    while (!probedAll && Date.now() < probeEnd) {
      const waiting = new Set(
        liveSubs()
          .filter((s) => !s.probed)
          .map((s) => s.user),
      );
      await Promise.all(
        [...waiting].map((u) => publishLibraryChange(redis, users[u]!.id, { kind: "bookmarks", action: `probe:${probeSeq}` })),
      );
      probedAll = await waitUntil(() => liveSubs().every((s) => s.probed), 2_000);
    }
    for (const s of subs) s.probed = false;
    const held = liveSubs().length;
    log(
      `${target} sockets: ${held} held, opened in ${connectSeconds.toFixed(1)} s${startedAll ? "" : " (NOT all subscriptions started)"}${probedAll ? "" : " (NOT all subscriptions live)"}; writing ${RATE} edits/s for ${SECONDS} s…`,
    );

    // --- the writer ---
    const perUser = new Array<number>(USERS).fill(0);
    for (const s of liveSubs()) perUser[s.user]!++;
    published.clear();
    latencies = [];
    delivered = 0;
    let expected = 0;
    let publishErrors = 0;
    const total = RATE * SECONDS;
    const writeStart = performance.now();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < total; i++) {
      const due = writeStart + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      const user = Math.floor(Math.random() * USERS);
      const n = seq++;
      published.set(n, { user, at: performance.now(), expected: perUser[user]! });
      expected += perUser[user]!;
      writes.push(
        publishLibraryChange(redis, users[user]!.id, { kind: "bookmarks", ids: [`b${n}`], action: `bench:${n}` }).catch(() => {
          publishErrors++;
        }),
      );
    }
    await Promise.all(writes);
    const writeSeconds = (performance.now() - writeStart) / 1000;
    await waitUntil(() => delivered >= expected, 10_000);
    const stats = await serverStats();
    const webMem = rssOf(web.pid!);
    const sorted = Float64Array.from(latencies).sort();
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const max = sorted.at(-1) ?? NaN;
    results.push([
      String(target),
      `${held} / ${stats.clients}`,
      String(total),
      `${delivered} / ${expected}`,
      p50.toFixed(1),
      p99.toFixed(1),
      max.toFixed(1),
      p99 < TARGET_P99_MS ? "OK" : "MISS",
      `${mb(webMem.rss)} (peak ${mb(webMem.peak)})`,
      mb(process.memoryUsage().rss),
      connectSeconds.toFixed(1),
    ]);
    log(
      `  ${total} edits in ${writeSeconds.toFixed(1)} s${publishErrors ? ` (${publishErrors} publish errors)` : ""}; deliveries ${delivered}/${expected}; p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${max.toFixed(1)} ms; ` +
        `web RSS ${mb(webMem.rss)} MB, ${stats.channels} Redis channels; client RSS ${mb(process.memoryUsage().rss)} MB; load ${loadavg()[0]!.toFixed(2)}`,
    );
  }

  // --- report ---
  const header = [
    "sockets",
    "held (client / web)",
    "edits",
    "delivered / expected",
    "p50 ms",
    "p99 ms",
    "max ms",
    `p99<${TARGET_P99_MS}`,
    "web RSS MB",
    "client RSS MB",
    "connect s",
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...results.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log("");
  console.log(
    `Realtime fan-out: ${USERS} users, ${RATE} edits/s for ${SECONDS} s per round, one web process (bare node:http + the app's tRPC WebSocket, no Next.js)`,
  );
  console.log(
    `web RSS before any socket: ${mb(idle.rss)} MB (node + tsx loader + app modules); open files limit (soft / hard): ${fdLimit}; ${availableParallelism()} CPUs; connect failures ${connectFailures}; sockets closed by the server ${unexpectedCloses}`,
  );
  console.log(line(header));
  for (const r of results) console.log(line(r));
  console.log(
    "latency: writer's publish call → message handled on a client socket, this process's clock; sockets and writer share one process and 2 CPUs with the web and Redis.",
  );

  for (const s of subs) {
    s.closed = true;
    s.ws.terminate();
  }
  redis.disconnect();
  for (const close of closers) await close().catch(() => undefined);
}

if (opt.serve) {
  serve().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
} else {
  const deadline = setTimeout(() => {
    console.error("[bench] stopped: over 20 minutes");
    process.exit(1);
  }, 20 * 60_000);
  deadline.unref();
  main()
    .then(() => process.exit(0))
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
