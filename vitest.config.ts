import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const alias = {
  "~": fileURLToPath(new URL("./src", import.meta.url)),
  "@worker": fileURLToPath(new URL("./worker", import.meta.url)),
};

// Two projects: fast unit tests, and integration tests that talk to real Postgres, Redis,
// BullMQ and an in-process X sandbox over HTTP (`*.int.test.ts`). `npm test` prepares the
// services and environment (scripts/test.ts) before running both.
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["{src,worker,sandbox,scripts}/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          environment: "node",
          // Unit tests never connect; the env module only needs a well-formed URL to load.
          env: { DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/unit-tests-do-not-connect" },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["{src,worker,sandbox,scripts}/**/*.int.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
