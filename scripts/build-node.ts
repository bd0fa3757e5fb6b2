/**
 * Bundles the two Node processes (web server, worker) into plain JavaScript in dist/, so
 * production runs `node dist/*.mjs` without a TypeScript loader: faster start, ~40 MB less
 * memory per process. npm packages stay external (installed node_modules).
 */
import path from "node:path";
import { build } from "esbuild";
import { ROOT } from "./services";

const entries = { web: "src/server/main.ts", worker: "worker/main.ts" };
await Promise.all(
  Object.entries(entries).map(([name, entry]) =>
    build({
      entryPoints: [path.join(ROOT, entry)],
      outfile: path.join(ROOT, "dist", `${name}.mjs`),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      alias: { "~": path.join(ROOT, "src"), "@worker": path.join(ROOT, "worker") },
      sourcemap: true,
      logLevel: "warning",
    }),
  ),
);
console.log(
  `built ${Object.keys(entries)
    .map((n) => `dist/${n}.mjs`)
    .join(", ")}`,
);
