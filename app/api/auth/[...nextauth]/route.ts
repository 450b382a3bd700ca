import NextAuth from "next-auth";
import { getDb } from "@/server/db/client";
import { buildAuthOptions } from "@/server/auth/options";

// Without NEXTAUTH_URL, next-auth builds its URLs from the request's Host (X-Forwarded-Host behind a
// proxy). Set NEXTAUTH_URL to the public URL in production (README, Security).
if (!process.env.NEXTAUTH_URL && !process.env.AUTH_TRUST_HOST) process.env.AUTH_TRUST_HOST = "1";

type Ctx = { params: Promise<{ nextauth: string[] }> };

// GET|POST /api/auth/* – next-auth: csrf, providers, session, signin, callback/<provider>, signout
async function handler(req: Request, ctx: Ctx) {
  const options = await buildAuthOptions(getDb());
  return NextAuth(req as never, ctx as never, options);
}

export { handler as GET, handler as POST };
