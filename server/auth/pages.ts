/**
 * Access checks for pages (server components), on the same rules as the API: the caller comes
 * from the request's cookies; anonymous callers are sent to /signin, non-members get the
 * not-found page (as the API's 404: ids do not reveal which projects exist).
 */
import { cache } from "react";
import { cookies } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDb } from "../db/client";
import { principalFromCookies, projectRoleFor, type Principal } from "./access";
import { resolveAuthMode } from "./mode";
import type { Role } from "./policy";

async function cookieHeader(): Promise<string> {
  return (await cookies())
    .getAll()
    .map((c) => `${c.name}=${encodeURIComponent(c.value)}`)
    .join("; ");
}

/** Who is viewing, once per request; null when anonymous. */
export const currentPrincipal = cache(async (): Promise<Principal | null> => principalFromCookies(getDb(), await cookieHeader(), resolveAuthMode()));

/** The viewer, or a redirect to /signin that comes back to `returnTo`. */
export async function requirePrincipal(returnTo: string): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return p;
}

/**
 * The viewer's role on a project, once per request; redirects anonymous viewers to /signin and
 * answers not-found to non-members.
 * @example const { role } = await requireProjectRole(id); // "viewer" | "editor" | "admin"
 */
export const requireProjectRole = cache(async (projectId: string): Promise<{ principal: Principal; role: Role }> => {
  const principal = await requirePrincipal(`/projects/${encodeURIComponent(projectId)}`);
  const role = await projectRoleFor(getDb(), principal, projectId);
  if (!role) notFound();
  return { principal, role };
});
