/**
 * The one table of who may call what. Every route handler under app/api and every server action
 * has a row here; a test walks app/api and fails when a route file or an exported method has none,
 * so a new route cannot skip authorization. The authorization matrix test is generated from this table.
 *
 * Roles are per project (viewer < editor < admin). Routes without a project (`/api/projects` list,
 * `/api/schema`) use the signed-in user's global role; "public" needs no sign-in.
 *
 * Enforced by `route()` (server/api/handler.ts) before any handler runs: anonymous → 401 TOPO-E170;
 * on a project route, not a member (or no such project) → 404 TOPO-E020, the same answer for both so
 * ids do not reveal which projects exist; a member below the row's role → 403 TOPO-E171; "admin" on a
 * route without a project means a Topograph administrator (User.role = admin) → else 403 TOPO-E172.
 * A global administrator is admin of every project. No row → 500 TOPO-E173 (and the test fails).
 */
export type Role = "viewer" | "editor" | "admin";
export type Access = "public" | "signed-in" | Role;

export interface PolicyRow {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Next's route pattern, relative to app/, e.g. "/api/projects/[id]/revisions". */
  path: string;
  access: Access;
  /** Why this role, in a few words (shown in docs/api.md). */
  why: string;
}

export const POLICY: PolicyRow[] = [
  { method: "GET", path: "/api/schema", access: "public", why: "the JSON Schema of the model is public" },
  { method: "POST", path: "/api/validate", access: "signed-in", why: "validates a posted document; reads nothing stored" },
  { method: "POST", path: "/api/lint", access: "signed-in", why: "lints a posted document; reads nothing stored" },
  { method: "GET", path: "/api/projects", access: "signed-in", why: "lists the projects the user is a member of" },
  { method: "POST", path: "/api/projects", access: "signed-in", why: "the creator becomes the project's admin" },
  { method: "POST", path: "/api/projects/import", access: "signed-in", why: "creates a project; the importer becomes its admin" },
  { method: "GET", path: "/api/projects/[id]", access: "viewer", why: "see the design" },
  { method: "PATCH", path: "/api/projects/[id]", access: "editor", why: "rename / describe" },
  { method: "DELETE", path: "/api/projects/[id]", access: "admin", why: "destroys the project and its history" },
  { method: "GET", path: "/api/projects/[id]/revisions", access: "viewer", why: "see the history" },
  { method: "POST", path: "/api/projects/[id]/revisions", access: "editor", why: "change the design" },
  { method: "GET", path: "/api/projects/[id]/revisions/[number]", access: "viewer", why: "see a revision" },
  { method: "GET", path: "/api/projects/[id]/revisions/[number]/document", access: "viewer", why: "see a revision" },
  { method: "GET", path: "/api/projects/[id]/revisions/[number]/diff", access: "viewer", why: "see a diff" },
  { method: "POST", path: "/api/projects/[id]/revisions/[number]/restore", access: "editor", why: "change the design" },
  { method: "GET", path: "/api/projects/[id]/export", access: "viewer", why: "export the design" },
  { method: "GET", path: "/api/projects/[id]/environments", access: "viewer", why: "see where the design runs" },
  { method: "POST", path: "/api/projects/[id]/environments", access: "admin", why: "environments hold credential references" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]", access: "viewer", why: "see an environment" },
  { method: "PATCH", path: "/api/projects/[id]/environments/[envId]", access: "admin", why: "environments hold credential references" },
  { method: "DELETE", path: "/api/projects/[id]/environments/[envId]", access: "admin", why: "environments hold credential references" },
  { method: "GET", path: "/api/projects/[id]/sandbox", access: "viewer", why: "see the local sandbox's status and counts" },
  { method: "POST", path: "/api/projects/[id]/sandbox", access: "editor", why: "runs the design on the server's machine" },
  { method: "DELETE", path: "/api/projects/[id]/sandbox", access: "editor", why: "stops the local sandbox" },
  { method: "POST", path: "/api/projects/[id]/sandbox/traffic", access: "editor", why: "sends generated events into the local sandbox" },
  { method: "DELETE", path: "/api/projects/[id]/sandbox/traffic", access: "editor", why: "stops generated traffic" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe", access: "viewer", why: "watch the design live (read-only)" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe/functions/[nodeId]", access: "viewer", why: "a function's series and latest invocations (read-only)" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe/triggers/[edgeId]", access: "viewer", why: "a trigger's lag over time (read-only)" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/bindings", access: "viewer", why: "see which resources the nodes are bound to" },
  { method: "POST", path: "/api/projects/[id]/environments/[envId]/bindings/check", access: "viewer", why: "read-only lookups of the bound resources" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe/dlq", access: "viewer", why: "DLQ depths, oldest ages and redrive progress (read-only, consumes nothing)" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe/dlq/[nodeId]/messages", access: "editor", why: "peeks dead letters: customer data, and each peek raises their receive count" },
  { method: "DELETE", path: "/api/projects/[id]/environments/[envId]/observe/dlq/[nodeId]/messages", access: "admin", why: "deletes a dead letter for good (audited)" },
  { method: "POST", path: "/api/projects/[id]/environments/[envId]/observe/dlq/[nodeId]/redrive", access: "admin", why: "moves dead letters back into processing (audited)" },
  { method: "GET", path: "/api/projects/[id]/environments/[envId]/observe/dlq/[nodeId]/redrive/[taskId]", access: "viewer", why: "a redrive's progress (read-only)" },
  { method: "POST", path: "/api/projects/[id]/environments/[envId]/observe/dlq/[nodeId]/purge", access: "admin", why: "deletes every dead letter of the queue (audited)" },
  { method: "GET", path: "/api/auth/[...nextauth]", access: "public", why: "next-auth: sign-in page data, CSRF token, session, OIDC callbacks (not wrapped by route())" },
  { method: "POST", path: "/api/auth/[...nextauth]", access: "public", why: "next-auth: sign in, sign out (CSRF-checked by next-auth)" },
  { method: "GET", path: "/api/auth/me", access: "public", why: "says whether sign-in is on and who is signed in" },
  { method: "GET", path: "/api/auth/setup", access: "public", why: "says whether the first administrator still has to be created" },
  { method: "POST", path: "/api/auth/setup", access: "public", why: "creates the first administrator; refused once any user exists" },
  { method: "GET", path: "/api/auth/users", access: "admin", why: "lists every user (Topograph administrators only)" },
  { method: "POST", path: "/api/auth/users", access: "admin", why: "creates a user (Topograph administrators only)" },
  { method: "PATCH", path: "/api/auth/users/[userId]", access: "admin", why: "changes a user's global role or password (Topograph administrators only)" },
  { method: "GET", path: "/api/projects/[id]/members", access: "viewer", why: "see who can see and change the project" },
  { method: "POST", path: "/api/projects/[id]/members", access: "admin", why: "members are managed by the project's admins" },
  { method: "PATCH", path: "/api/projects/[id]/members/[userId]", access: "admin", why: "members are managed by the project's admins" },
  { method: "DELETE", path: "/api/projects/[id]/members/[userId]", access: "admin", why: "members are managed by the project's admins" },
  { method: "GET", path: "/api/projects/[id]/audit", access: "admin", why: "the audit log is a security record (who changed what, DLQ actions)" },
];
