import next from "eslint-config-next";
import tseslint from "typescript-eslint";

const config = [
  { ignores: [".next/**", "node_modules/**", "src/generated/**", ".data/**", "dist/**", "playwright-report/**", "test-results/**"] },
  ...next,
  {
    rules: {
      // Avatars and media come from X's (or the sandbox's) CDN at arbitrary sizes: plain <img>.
      "@next/next/no-img-element": "off",
      // One order everywhere: node:, packages, our own (~/, @worker/), then relative; groups apart.
      "import/order": [
        "error",
        {
          groups: ["builtin", "external", "internal", ["parent", "sibling", "index"]],
          pathGroups: [
            { pattern: "~/**", group: "internal" },
            { pattern: "@worker/**", group: "internal" },
          ],
          pathGroupsExcludedImportTypes: ["builtin"],
          alphabetize: { order: "asc", caseInsensitive: true },
          "newlines-between": "never",
        },
      ],
    },
  },

  {
    // Type-aware rules: the TypeScript program comes from tsconfig.json (typescript-eslint's
    // project service), so promises and types are known across files.
    files: ["**/*.ts", "**/*.tsx"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits, returns, or marks `void` loses its rejection.
      "@typescript-eslint/no-floating-promises": "error",
      // `import type` / `type X` for types: erased on build, so a types-only import of server code
      // cannot pull it into the browser's bundle.
      "@typescript-eslint/consistent-type-imports": ["error", { prefer: "type-imports", fixStyle: "inline-type-imports" }],
    },
  },
  {
    // Browser code and the shared contract take server code as types only (see README, Code layout).
    files: ["src/app/**/_components/**", "src/trpc/**", "src/shared/**", "src/lib/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/server/*", "~/env", "@worker/*"], allowTypeImports: true, message: "Browser and shared code import server code as types only." },
          ],
        },
      ],
    },
  },
];
export default config;
