import NextAuth from "next-auth";
import { authOptions } from "~/server/auth";
import { refuseForeignOrigin } from "~/server/http/origin";
import { limitLogin } from "~/server/limits/login";
import { webServices } from "~/server/services";

const nextAuth = NextAuth(authOptions) as (req: Request, ctx: unknown) => Promise<Response>;

// Log-in attempts are counted per IP before next-auth sees them (src/server/limits/login.ts).
async function handler(req: Request, ctx: unknown): Promise<Response> {
  return (await limitLogin(req, webServices().limits)) ?? nextAuth(req, ctx);
}

// next-auth's POSTs (sign-in, sign-out) carry its CSRF token too; the origin check refuses a
// hostile page's form before next-auth reads it (or it counts as an attempt). The OAuth callback
// from X is a GET.
const post = async (req: Request, ctx: unknown) => refuseForeignOrigin(req) ?? handler(req, ctx);

export { handler as GET, post as POST };
