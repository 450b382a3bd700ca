/**
 * Who is asking and what they may do: the one place that turns a request (cookie, host, origin)
 * and a POLICY row into a principal and a project role, or a TopoError. Used by `route()` for
 * every API route, by the pages (server components) and by proxy.ts.
 */
import type { Env } from "./mode";
import { TopoError } from "../errors";
import type { Db } from "../db/client";
import { hostnameOf, isLoopbackHost, type AuthMode } from "./mode";
import type { PolicyRow, Role } from "./policy";
import { projectParamOf } from "./match";
import { getAuthSecret, readSession } from "./session";
import { RANK, getUser, projectRoleOf } from "./users";

export interface Principal {
  id: string;
  email: string;
  name: string;
  /** "admin" may do anything anywhere; "member" what their memberships allow. */
  globalRole: "admin" | "member";
  /** The loopback-only local admin (sign-in off). */
  local: boolean;
}

export const LOCAL_ADMIN: Principal = { id: "local", email: "local", name: "Local admin", globalRole: "admin", local: true };

/** The signed-in user (or the local admin), or null when anonymous. Users deleted since sign-in are anonymous. */
export async function principalFromCookies(db: Db, cookieHeader: string | null | undefined, mode: AuthMode): Promise<Principal | null> {
  if (mode.kind === "local-admin") return LOCAL_ADMIN;
  // With NEXTAUTH_URL on https, next-auth only ever sets the __Secure- cookie: accept nothing else.
  const claims = await readSession(cookieHeader, await getAuthSecret(db), { secureOnly: !!process.env.NEXTAUTH_URL?.startsWith("https://") });
  if (!claims) return null;
  const u = await getUser(db, claims.sub);
  if (!u) return null;
  return { id: u.id, email: u.email, name: u.name, globalRole: u.role === "admin" ? "admin" : "member", local: false };
}

export function rank(access: Role | "signed-in"): number {
  return access === "signed-in" ? 0 : RANK[access];
}

/**
 * Checks a POLICY row for a principal; returns the principal's role on the route's project
 * (null when the route has none). Anonymous → 401 TOPO-E170. On a project: not a member (or no
 * such project) → 404 TOPO-E020, the same answer for both so ids do not reveal which projects
 * exist; a member whose role is too low → 403 TOPO-E171. Global-admin routes → 403 TOPO-E172.
 */
export async function authorize(db: Db, row: PolicyRow, principal: Principal | null, params: Record<string, string | string[] | undefined>): Promise<Role | null> {
  const projectParam = projectParamOf(row);
  const projectId = projectParam ? params[projectParam] : undefined;
  if (row.access === "public") {
    return principal && typeof projectId === "string" ? projectRoleOf(db, { id: principal.id, role: principal.globalRole }, projectId) : null;
  }
  if (!principal) throw new TopoError("TOPO-E170", "sign in to use this");
  if (typeof projectId === "string") {
    const role = await projectRoleOf(db, { id: principal.id, role: principal.globalRole }, projectId);
    if (!role) throw new TopoError("TOPO-E020", "project not found");
    if (row.access !== "signed-in" && RANK[role] < RANK[row.access]) {
      throw new TopoError("TOPO-E171", `this needs the ${row.access} role on the project; you are ${role === "admin" || role === "editor" ? "an" : "a"} ${role}`, { extra: { role, required: row.access } });
    }
    return role;
  }
  if (row.access === "admin" && principal.globalRole !== "admin") throw new TopoError("TOPO-E172", "only Topograph administrators may do this");
  return null;
}

/** The project role of a principal for pages: null when they may not see it. */
export async function projectRoleFor(db: Db, principal: Principal, projectId: string): Promise<Role | null> {
  return projectRoleOf(db, { id: principal.id, role: principal.globalRole }, projectId);
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function originsAllowed(env: Env): Set<string> {
  const out = new Set<string>();
  for (const v of [env.NEXTAUTH_URL, ...(env.TOPO_ALLOWED_ORIGINS ?? "").split(",")]) {
    if (!v?.trim()) continue;
    try {
      out.add(new URL(v.trim()).origin);
    } catch {
      // ignore a malformed entry
    }
  }
  return out;
}

/**
 * Refuses what a browser on another site could make the user's browser send:
 * - in local-admin mode, any Host but a loopback name (DNS rebinding) → 403 TOPO-E175;
 * - state-changing requests whose Origin is another site, or marked `Sec-Fetch-Site: cross-site`
 *   → 403 TOPO-E174. (Clients that send no Origin, such as curl and the CLI, are not browsers.)
 */
export function checkRequestOrigin(req: Request, mode: AuthMode, env: Env = process.env): void {
  const url = new URL(req.url);
  const host = req.headers.get("host") ?? url.host;
  if (mode.kind === "local-admin" && !isLoopbackHost(hostnameOf(host))) {
    throw new TopoError("TOPO-E175", `this server runs without sign-in and answers only to loopback names, not "${hostnameOf(host)}"`);
  }
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  if (req.headers.get("sec-fetch-site") === "cross-site") throw new TopoError("TOPO-E174", "a request from another site was refused");
  const origin = req.headers.get("origin");
  if (!origin) return;
  const forwardedHost = req.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  let originHost: string;
  try {
    if (origin === "null") throw new Error("opaque origin");
    const o = new URL(origin);
    if (originsAllowed(env).has(o.origin)) return;
    originHost = o.host;
  } catch {
    throw new TopoError("TOPO-E174", `a request from the origin "${origin.slice(0, 100)}" was refused`);
  }
  if (originHost === host || (forwardedHost && originHost === forwardedHost)) return;
  throw new TopoError("TOPO-E174", `a request from ${origin.slice(0, 100)} to ${host} was refused`);
}

/**
 * The author a revision records: with sign-in on, the signed-in user's email, whatever the
 * client claims; for the loopback local admin, the name the client gives (default "local").
 */
export function authorFor(user: Principal | null, claimed: string | undefined): string {
  if (user && !user.local) return user.email.slice(0, 100);
  return claimed ?? "local";
}
