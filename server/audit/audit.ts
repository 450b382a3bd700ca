/**
 * The audit log: append-only rows of who did what. Design changes, environment changes,
 * membership changes and every destructive DLQ action (redrive, delete, purge) are recorded.
 * Write the audit row in the same transaction as the change when there is one.
 */
import { randomUUID } from "node:crypto";
import type { Db } from "../db/client";

export interface AuditInput {
  actor: string;
  projectId?: string;
  /** Dotted verb, e.g. "revision.save", "environment.delete", "dlq.redrive", "dlq.purge", "member.add". */
  action: string;
  /** What was acted on (a revision number, an environment id, a queue URL, a message id). */
  target?: string;
  details?: Record<string, unknown>;
}

type AuditWriter = Pick<Db, "auditEvent">;

export async function recordAudit(db: AuditWriter, e: AuditInput): Promise<void> {
  await db.auditEvent.create({
    data: {
      id: randomUUID(),
      actor: e.actor,
      projectId: e.projectId ?? null,
      action: e.action,
      target: e.target ?? "",
      details: JSON.stringify(e.details ?? {}),
    },
  });
}

export interface AuditRecord {
  id: string;
  at: string;
  actor: string;
  projectId: string | null;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export async function listAudit(db: Db, projectId: string, opts: { limit?: number; before?: Date } = {}): Promise<AuditRecord[]> {
  const rows = await db.auditEvent.findMany({
    where: { projectId, ...(opts.before ? { at: { lt: opts.before } } : {}) },
    orderBy: { at: "desc" },
    take: Math.min(opts.limit ?? 100, 500),
  });
  return rows.map((r) => ({ id: r.id, at: r.at.toISOString(), actor: r.actor, projectId: r.projectId, action: r.action, target: r.target, details: JSON.parse(r.details) }));
}
