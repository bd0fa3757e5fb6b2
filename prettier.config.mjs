/**
 * Prettier: the one code style (`npm run format`; `npm test` runs `format:check`). The width
 * matches the code as written (long one-line signatures and zod schemas); the Tailwind plugin
 * sorts class lists in the order Tailwind applies them. Tailwind 4 has no JS config: the plugin
 * reads the theme from the stylesheet.
 * @type {import("prettier").Config}
 */
const config = {
  printWidth: 140,
  plugins: ["prettier-plugin-tailwindcss"],
  tailwindStylesheet: "./src/app/globals.css",
  tailwindFunctions: ["clsx", "cn"],
};
export default config;
