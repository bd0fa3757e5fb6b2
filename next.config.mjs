/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  // Server-only packages with native parts or dynamic requires: load them from node_modules
  // at run time instead of bundling them.
  serverExternalPackages: ["bullmq", "ioredis", "pino", "pg", "@prisma/adapter-pg", "ws"],
  poweredByHeader: false,
  compress: true,
};

export default config;
