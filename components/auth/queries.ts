/** Who is signed in, their role on a project, the members and the audit log, as TanStack queries. */
import { queryOptions, useQuery } from "@tanstack/react-query";
import { apiFetch } from "../api";

export type Role = "viewer" | "editor" | "admin";

export interface Me {
  mode: "local-admin" | "sign-in";
  reason: string;
  user: { id: string; email: string; name: string; role: "admin" | "member"; local: boolean } | null;
  needsSetup: boolean;
  providers: string[];
  projectRole: Role | null;
}

export interface MemberRecord {
  userId: string;
  email: string;
  name: string;
  role: Role;
  globalAdmin: boolean;
  createdAt: string;
}

export interface AuditEventRecord {
  id: string;
  at: string;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

const enc = encodeURIComponent;

export const authKeys = {
  me: (projectId?: string) => ["auth", "me", projectId ?? null] as const,
  members: (projectId: string) => ["projects", projectId, "members"] as const,
  audit: (projectId: string) => ["projects", projectId, "audit"] as const,
};

export const meQuery = (projectId?: string) =>
  queryOptions({
    queryKey: authKeys.me(projectId),
    queryFn: ({ signal }) => apiFetch<Me>(`/api/auth/me${projectId ? `?project=${enc(projectId)}` : ""}`, { signal }),
    staleTime: 60_000,
  });

export const membersQuery = (projectId: string) =>
  queryOptions({
    queryKey: authKeys.members(projectId),
    queryFn: ({ signal }) => apiFetch<{ members: MemberRecord[]; you: { role: Role | null; local: boolean } }>(`/api/projects/${enc(projectId)}/members`, { signal }),
  });

export const auditQuery = (projectId: string) =>
  queryOptions({
    queryKey: authKeys.audit(projectId),
    queryFn: ({ signal }) => apiFetch<{ events: AuditEventRecord[] }>(`/api/projects/${enc(projectId)}/audit?limit=100`, { signal }).then((r) => r.events),
  });

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/**
 * The viewer's role on a project and what it allows; `loading` until known (treat as not allowed).
 * @example const { can } = useProjectRole(id); <button disabled={!can("editor")}>Save</button>
 */
export function useProjectRole(projectId: string) {
  const me = useQuery(meQuery(projectId));
  const role = me.data?.projectRole ?? null;
  return { role, loading: me.isPending, can: (needed: Role) => !!role && RANK[role] >= RANK[needed] };
}
