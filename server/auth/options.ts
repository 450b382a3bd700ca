/**
 * next-auth (Auth.js v4) configuration: the credentials provider (email + password checked
 * against the scrypt hash in `User`), an OIDC provider when TOPO_OIDC_ISSUER, TOPO_OIDC_CLIENT_ID
 * and TOPO_OIDC_CLIENT_SECRET are set, JWT sessions with an expiry, httpOnly SameSite=Lax cookies
 * (next-auth's defaults; Secure and `__Secure-` prefixed when the site is https).
 *
 * The token's `sub` is our User.id, whatever the provider; OIDC users are created on first sign-in
 * (with no password and no project: an admin adds them to projects).
 */
import type { Env } from "./mode";
import type { NextAuthOptions } from "next-auth";
import * as credentialsModule from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";
import { verifyPassword } from "./password";
import { getAuthSecret, sessionMaxAgeSeconds } from "./session";
import { findUserByEmail, normalizeEmail } from "./users";
import { TokenBuckets, clientAddress, parseRateLimit } from "./rate-limit";

// A CommonJS module: bundlers hand over its default export, Node's ESM loader the whole exports object.
type CredentialsFn = typeof credentialsModule.default;
const CredentialsProvider: CredentialsFn = ((credentialsModule as unknown as { default: { default?: CredentialsFn } }).default.default ??
  credentialsModule.default) as CredentialsFn;

const g = globalThis as unknown as { __topographSignInBuckets?: TokenBuckets };
const signInBuckets = (g.__topographSignInBuckets ??= new TokenBuckets());

/** Failed-password guard: TOPO_SIGNIN_RATE_LIMIT attempts per account and per address (default 10 a minute, burst 10). */
export function signInAllowed(email: string, headers: Headers, env: Env = process.env): boolean {
  const limit = parseRateLimit(env.TOPO_SIGNIN_RATE_LIMIT, { perSecond: 10 / 60, burst: 10 });
  if (!limit) return true;
  return signInBuckets.take(`acct:${email}`, limit) === 0 && signInBuckets.take(`ip:${clientAddress(headers)}`, limit) === 0;
}

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
}

export function oidcProvider(env: Env = process.env): OAuthConfig<OidcProfile> | null {
  const issuer = env.TOPO_OIDC_ISSUER?.replace(/\/+$/, "");
  if (!issuer || !env.TOPO_OIDC_CLIENT_ID || !env.TOPO_OIDC_CLIENT_SECRET) return null;
  return {
    id: "oidc",
    name: env.TOPO_OIDC_NAME || "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer}/.well-known/openid-configuration`,
    issuer,
    clientId: env.TOPO_OIDC_CLIENT_ID,
    clientSecret: env.TOPO_OIDC_CLIENT_SECRET,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (p) => ({ id: p.sub, email: p.email ?? null, name: p.name ?? p.preferred_username ?? null }),
  };
}

export async function buildAuthOptions(db: Db, env: Env = process.env): Promise<NextAuthOptions> {
  const maxAge = sessionMaxAgeSeconds(env);
  const oidc = oidcProvider(env);
  return {
    secret: await getAuthSecret(db, env),
    session: { strategy: "jwt", maxAge, updateAge: Math.min(3600, maxAge) },
    jwt: { maxAge },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const email = normalizeEmail(String(credentials?.email ?? "")).slice(0, 254);
          const password = String(credentials?.password ?? "");
          if (!email || !password) return null;
          if (!signInAllowed(email, new Headers(Object.entries(req.headers ?? {}).filter((e): e is [string, string] => typeof e[1] === "string")))) {
            console.warn(`[auth] sign-in attempts for ${email} are being rate limited`);
            return null;
          }
          const user = await findUserByEmail(db, email);
          // Verify even without a user, so the answer takes as long either way.
          const ok = await verifyPassword(password, user?.passwordHash ?? null);
          if (!user || !ok) return null;
          return { id: user.id, email: user.email, name: user.name || user.email };
        },
      }),
      ...(oidc ? [oidc] : []),
    ],
    callbacks: {
      async signIn({ user, account }) {
        if (account?.provider !== "oidc") return true;
        const email = user.email ? normalizeEmail(user.email) : "";
        if (!email) return "/signin?error=OidcNoEmail";
        const existing = await findUserByEmail(db, email);
        if (!existing) await db.user.create({ data: { id: `u-${randomUUID()}`, email, name: user.name ?? "", passwordHash: null, role: "member" } });
        return true;
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          // The token names our user id, whichever provider signed the user in.
          const row = account.provider === "credentials" ? { id: user.id, email: user.email } : await findUserByEmail(db, user.email ?? "");
          if (row) {
            token.sub = row.id;
            token.email = row.email;
          }
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, email: token.email } } as typeof session;
      },
      async redirect({ url, baseUrl }) {
        // Only our own pages: never an open redirect.
        if (url.startsWith("/") && !url.startsWith("//")) return `${baseUrl}${url}`;
        try {
          if (new URL(url).origin === baseUrl) return url;
        } catch {
          // fall through
        }
        return baseUrl;
      },
    },
    logger: {
      error: (code, metadata) => console.error(`[auth] ${code}`, metadata instanceof Error ? metadata.message : ""),
      warn: (code) => console.warn(`[auth] ${code}`),
      debug: () => {},
    },
  };
}
