import createNextIntlPlugin from "next-intl/plugin";

// next-intl without i18n routing: the request's locale comes from src/i18n/request.ts.
const withNextIntl = createNextIntlPlugin("./src/i18n/request.ts");

/** @type {import("next").NextConfig} */
const config = {
  reactStrictMode: true,
  // Server-only packages with native parts or dynamic requires: load them from node_modules
  // at run time instead of bundling them.
  serverExternalPackages: ["bullmq", "ioredis", "pino", "pg", "@prisma/adapter-pg", "ws"],
  poweredByHeader: false,
  // Off: the custom server (src/server/main.ts) compresses every answer itself, with brotli
  // (Next's is gzip only) and never for SSE; both on would compress twice.
  compress: false,
  // forbidden() and app/forbidden.tsx: the admin pages answer 403 to signed-in non-admins.
  experimental: { authInterrupts: true },
};

export default withNextIntl(config);
