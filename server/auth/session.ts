/**
 * Sessions are next-auth JWTs (encrypted, A256GCM, with an expiry) in an httpOnly, SameSite=Lax
 * cookie, Secure when the site is https. This module reads them the way next-auth writes them,
 * from a plain Cookie header, so route handlers, pages and tests share one path.
 *
 * The signing secret is NEXTAUTH_SECRET / AUTH_SECRET when set; otherwise one is generated on
 * first use and kept in the database (`Meta` "auth.secret"), so sessions survive restarts and are
 * valid on every instance sharing the database. Setting NEXTAUTH_SECRET is still preferred.
 */
import type { Env } from "./mode";
import { randomBytes } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import type { Db } from "../db/client";

export const SESSION_COOKIE = "next-auth.session-token";
export const SECURE_SESSION_COOKIE = "__Secure-next-auth.session-token";

/** Session lifetime: TOPO_SESSION_HOURS (default 12 h); the cookie is renewed at most hourly while used. */
export function sessionMaxAgeSeconds(env: Env = process.env): number {
  const h = Number(env.TOPO_SESSION_HOURS);
  return Math.round((Number.isFinite(h) && h > 0 ? Math.min(h, 24 * 30) : 12) * 3600);
}

const g = globalThis as unknown as { __topographAuthSecret?: Promise<string> };

export async function getAuthSecret(db: Db, env: Env = process.env): Promise<string> {
  const fromEnv = env.NEXTAUTH_SECRET || env.AUTH_SECRET;
  if (fromEnv) return fromEnv;
  g.__topographAuthSecret ??= (async () => {
    const key = "auth.secret";
    const existing = await db.meta.findUnique({ where: { key } });
    if (existing) return existing.value;
    const value = randomBytes(32).toString("base64url");
    // Two instances starting at once: the first insert wins, both read it back.
    await db.meta.upsert({ where: { key }, create: { key, value }, update: {} });
    return (await db.meta.findUniqueOrThrow({ where: { key } })).value;
  })().catch((e) => {
    g.__topographAuthSecret = undefined;
    throw e;
  });
  return g.__topographAuthSecret;
}

/** Forgets the cached generated secret (tests that switch databases). */
export function resetAuthSecretCache() {
  g.__topographAuthSecret = undefined;
}

/** Cookie header → name/value map (first occurrence wins). */
export function parseCookies(header: string | null | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? "").split(";")) {
    const i = part.indexOf("=");
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!out.has(name)) {
      try {
        out.set(name, decodeURIComponent(part.slice(i + 1).trim()));
      } catch {
        out.set(name, part.slice(i + 1).trim());
      }
    }
  }
  return out;
}

/** next-auth splits cookies over 4 kB into `name.0`, `name.1`…; joins them back. */
function sessionTokenFrom(cookies: Map<string, string>, secureOnly: boolean): string | undefined {
  for (const name of secureOnly ? [SECURE_SESSION_COOKIE] : [SECURE_SESSION_COOKIE, SESSION_COOKIE]) {
    const whole = cookies.get(name);
    if (whole) return whole;
    const chunks: string[] = [];
    for (let i = 0; cookies.has(`${name}.${i}`); i++) chunks.push(cookies.get(`${name}.${i}`)!);
    if (chunks.length) return chunks.join("");
  }
  return undefined;
}

export interface SessionClaims {
  /** Our User.id. */
  sub: string;
  email?: string;
  exp?: number;
}

/**
 * The session in a Cookie header, or null (no cookie, tampered, expired, or another secret).
 * `secureOnly` (an https site) ignores the plain-named cookie, which anyone on the network path
 * of a plain-http request could have planted.
 */
export async function readSession(cookieHeader: string | null | undefined, secret: string, opts: { secureOnly?: boolean } = {}): Promise<SessionClaims | null> {
  const token = sessionTokenFrom(parseCookies(cookieHeader), !!opts.secureOnly);
  if (!token) return null;
  try {
    const claims = await decode({ token, secret });
    if (!claims || typeof claims.sub !== "string") return null;
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) return null;
    return { sub: claims.sub, email: typeof claims.email === "string" ? claims.email : undefined, exp: typeof claims.exp === "number" ? claims.exp : undefined };
  } catch {
    return null;
  }
}

/** A session cookie as next-auth would set it (tests, and the CLI's smoke checks). */
export async function mintSessionCookie(userId: string, email: string, secret: string, maxAgeSeconds = sessionMaxAgeSeconds()): Promise<string> {
  const token = await encode({ token: { sub: userId, email }, secret, maxAge: maxAgeSeconds });
  return `${SESSION_COOKIE}=${token}`;
}
