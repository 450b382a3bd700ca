/**
 * Audit rows written by `route()` after a successful change, so design, project and environment
 * changes are recorded whatever route file made them. Routes with richer facts (members, users,
 * DLQ actions) call `recordAudit` themselves and are not listed here.
 */
import type { Db } from "../db/client";
import { recordAudit } from "./audit";

interface Audited {
  action: string;
  /** Read before the change (names of what a DELETE removes). */
  before?: (db: Db, params: Record<string, string>) => Promise<Record<string, unknown>>;
  /** Target and details from the params, the request body (PATCH) and the answer. */
  describe: (x: { params: Record<string, string>; body: unknown; result: unknown; before: Record<string, unknown> }) => { projectId?: string; target?: string; details?: Record<string, unknown> };
}

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);

const projectName = async (db: Db, p: Record<string, string>) => ({ name: (await db.project.findUnique({ where: { id: p.id }, select: { name: true } }))?.name });
const envName = async (db: Db, p: Record<string, string>) => {
  const e = await db.environment.findFirst({ where: { id: p.envId, projectId: p.id }, select: { name: true, kind: true } });
  return { name: e?.name, kind: e?.kind };
};

export const AUDITED: Record<string, Audited> = {
  "POST /api/projects": {
    action: "project.create",
    describe: ({ result }) => {
      const p = obj(obj(result).project);
      return { projectId: str(p.id), target: str(p.id), details: { name: p.name } };
    },
  },
  "POST /api/projects/import": {
    action: "project.import",
    describe: ({ result }) => {
      const p = obj(obj(result).project);
      return { projectId: str(p.id), target: str(p.id), details: { name: p.name } };
    },
  },
  "PATCH /api/projects/[id]": {
    action: "project.update",
    before: projectName,
    describe: ({ params, body, result, before }) => ({
      projectId: params.id,
      target: params.id,
      details: { fields: Object.keys(obj(body)), ...(before.name !== obj(obj(result).project).name ? { from: before.name, to: obj(obj(result).project).name } : {}) },
    }),
  },
  "DELETE /api/projects/[id]": { action: "project.delete", before: projectName, describe: ({ params, before }) => ({ projectId: params.id, target: params.id, details: { name: before.name } }) },
  "POST /api/projects/[id]/revisions": {
    action: "revision.save",
    describe: ({ params, result }) => {
      const r = obj(obj(result).revision);
      return { projectId: params.id, target: str(r.number), details: { message: r.message, size: r.size } };
    },
  },
  "POST /api/projects/[id]/revisions/[number]/restore": {
    action: "revision.restore",
    describe: ({ params, result }) => ({ projectId: params.id, target: str(obj(obj(result).revision).number), details: { restored: params.number } }),
  },
  "POST /api/projects/[id]/environments": {
    action: "environment.create",
    describe: ({ params, result }) => {
      const e = obj(obj(result).environment);
      return { projectId: params.id, target: str(e.id), details: { name: e.name, kind: e.kind } };
    },
  },
  "PATCH /api/projects/[id]/environments/[envId]": {
    action: "environment.update",
    describe: ({ params, body, result }) => ({ projectId: params.id, target: params.envId, details: { name: obj(obj(result).environment).name, fields: Object.keys(obj(body)) } }),
  },
  "DELETE /api/projects/[id]/environments/[envId]": { action: "environment.delete", before: envName, describe: ({ params, before }) => ({ projectId: params.id, target: params.envId, details: before }) },
};

export function auditedFor(method: string, path: string): Audited | undefined {
  return AUDITED[`${method.toUpperCase()} ${path}`];
}

/** Writes the row; a failure is logged, not thrown: the change itself has already succeeded. */
export async function recordRouteAudit(db: Db, a: Audited, actor: string, x: Parameters<Audited["describe"]>[0]): Promise<{ projectId?: string }> {
  try {
    const d = a.describe(x);
    await recordAudit(db, { actor, projectId: d.projectId, action: a.action, target: d.target, details: d.details });
    return { projectId: d.projectId };
  } catch (e) {
    console.error(`[audit] could not record ${a.action}:`, e);
    return {};
  }
}

/** Actions that create a project: its creator becomes its admin. */
export const CREATES_PROJECT = new Set(["project.create", "project.import"]);
