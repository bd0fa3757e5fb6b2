import next from "eslint-config-next";
import i18next from "eslint-plugin-i18next";
import tseslint from "typescript-eslint";

/**
 * Issue 16: user-facing text comes from messages/*.json, never a literal in a component. The rule
 * checks JSX text and JSX attribute values; attributes that are not read by people are exempt.
 */
const I18N_NOT_TEXT_ATTRIBUTES = [
  "className",
  "styleName",
  "style",
  "type",
  "key",
  "id",
  "width",
  "height",
  "role",
  "href",
  "rel",
  "target",
  "src",
  "loading",
  "htmlFor",
  "autoComplete",
  "enterKeyHint",
  "inputMode",
  "lang",
  "dateTime",
  "name",
  "method",
  "action",
  "viewBox",
  "d",
  "fill",
  "stroke",
  "align",
  "accept",
  "encType",
  "sizes",
  "decoding",
  "crossOrigin",
  "preload",
  "data-.*",
  "aria-hidden",
  "aria-live",
  "aria-current",
  "aria-haspopup",
  "aria-expanded",
  "aria-controls",
  "aria-describedby",
  "aria-labelledby",
  "aria-orientation",
  "aria-sort",
  "aria-busy",
  "aria-atomic",
  "aria-relevant",
  "buttonTestId",
  "buttonClassName",
  "panelClassName",
  "testId",
  "tone",
  "variant",
  "size",
  "kind",
  "area",
  "mode",
  "format",
];

/**
 * Components not converted yet, with the reason. EMPTY THIS LIST as each file is converted.
 * - The first five are being split by another engineer this session; they are converted after
 *   that split merges (editing them now would collide with it).
 */
const I18N_NOT_YET_CONVERTED = [
  "src/app/_components/bookmark-edits.tsx",
  "src/app/_components/sync-panel.tsx",
  "src/app/admin/_components/job-detail.tsx",
  "src/app/_components/filter-bar.tsx",
  "src/trpc/react.tsx",
  // - Not converted yet on the i18n branch (issue 16): the library's bulk actions and managers,
  //   and the admin console's pages (their navigation, titles and 403 page are converted).
  "src/app/_components/bulk-toolbar.tsx",
  "src/app/_components/category-manager.tsx",
  "src/app/_components/tag-manager.tsx",
  "src/app/admin/_components/admin-live.tsx",
  "src/app/admin/_components/audit.tsx",
  "src/app/admin/_components/jobs-list.tsx",
  "src/app/admin/_components/limits.tsx",
  "src/app/admin/_components/overview.tsx",
  "src/app/admin/_components/throughput-chart.tsx",
  "src/app/admin/_components/ui.tsx",
  "src/app/admin/_components/users.tsx",
  "src/app/admin/_components/workers.tsx",
  // - Split out of the five above, or added on other branches the same session (folders,
  //   write-back, drain, the Health page): converted with them.
  "src/app/_components/category-filter.tsx",
  "src/app/_components/conflict-dialog.tsx",
  "src/app/_components/drain-panel.tsx",
  "src/app/_components/folder-list.tsx",
  "src/app/_components/last-run-line.tsx",
  "src/app/_components/more-filters.tsx",
  "src/app/_components/sync-freshness.tsx",
  "src/app/_components/sync-progress.tsx",
  "src/app/_components/tag-filter.tsx",
  "src/app/_components/x-write-actions.tsx",
  "src/app/admin/_components/health.tsx",
  "src/app/admin/_components/job-action-dialogs.tsx",
  "src/app/admin/_components/job-logs.tsx",
  "src/app/admin/_components/job-run-card.tsx",
];

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
            {
              group: ["~/server/*", "~/env", "@worker/*"],
              allowTypeImports: true,
              message: "Browser and shared code import server code as types only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/app/**/*.tsx", "src/trpc/**/*.tsx"],
    ignores: I18N_NOT_YET_CONVERTED,
    plugins: { i18next },
    rules: {
      "i18next/no-literal-string": [
        "error",
        {
          mode: "jsx-only",
          // A string handed to a function is data (keys, field names, modes), not text shown.
          callees: { exclude: [".*"] },
          "jsx-attributes": { exclude: I18N_NOT_TEXT_ATTRIBUTES },
          // Text without a letter (symbols, punctuation, digits) and the product's name.
          // A lone lowercase word ("sync", "waiting") is a value in code, not a sentence.
          words: { exclude: [/^[^\p{L}]*$/u, "[0-9!-/:-@[-`{-~]+", "[a-z_]+", "X Bookmarker", "𝕏", "X", "HTTP", "CSV", "JSON"] },
        },
      ],
    },
  },
];
export default config;
