import NextAuth from "next-auth";
import { authOptions } from "~/server/auth";
import { refuseForeignOrigin } from "~/server/http/origin";

const handler = NextAuth(authOptions);

// next-auth's POSTs (sign-in, sign-out) carry its CSRF token too; the origin check refuses a
// hostile page's form before next-auth reads it. The OAuth callback from X is a GET.
const post = (req: Request, ctx: unknown) => refuseForeignOrigin(req) ?? (handler as (req: Request, ctx: unknown) => Promise<Response>)(req, ctx);

export { handler as GET, post as POST };
