import next from "eslint-config-next";

const config = [
  { ignores: [".next/**", "node_modules/**", "src/generated/**", ".data/**", "playwright-report/**", "test-results/**"] },
  ...next,
  {
    rules: {
      // Avatars and media come from X's (or the sandbox's) CDN at arbitrary sizes: plain <img>.
      "@next/next/no-img-element": "off",
    },
  },
];
export default config;
