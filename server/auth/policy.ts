/**
 * The one table of who may call what. Every route handler under app/api and every server action
 * has a row here; a test walks app/api and fails when a route file or an exported method has none,
 * so a new route cannot skip authorization. The authorization matrix test is generated from this table.
 *
 * Roles are per project (viewer < editor < admin). Routes without a project (`/api/projects` list,
 * `/api/schema`) use the signed-in user's global role; "public" needs no sign-in.
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
];
