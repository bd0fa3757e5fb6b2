/**
 * Public, fixed development secrets: `npm run dev` and `npm run dev:cluster` work out of the box
 * and read each other's sessions and stored tokens. src/env.ts refuses them in production.
 */
export const DEV_NEXTAUTH_SECRET = "dev-only-nextauth-secret-do-not-use-in-production";
// 32 zero-ish bytes, base64: fine for a laptop, refused in production.
export const DEV_TOKEN_KEY = Buffer.from("x-bookmarker-dev-only-token-key!").toString("base64");
