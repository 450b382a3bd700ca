"use client";

import { useQuery } from "@tanstack/react-query";
import { auditQuery, useProjectRole, type AuditEventRecord } from "./queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { RelativeTime } from "../ui/RelativeTime";

const VERBS: Record<string, string> = {
  "project.create": "created the project",
  "project.import": "imported the project from a template",
  "project.update": "changed the project",
  "project.delete": "deleted the project",
  "revision.save": "saved revision",
  "revision.restore": "restored a revision as",
  "environment.create": "added environment",
  "environment.update": "changed environment",
  "environment.delete": "deleted environment",
  "member.add": "added member",
  "member.update": "changed the role of",
  "member.remove": "removed member",
};

function describe(e: AuditEventRecord): string {
  const d = e.details;
  const name = typeof d.name === "string" ? d.name : undefined;
  switch (e.action) {
    case "revision.save":
      return `saved revision ${e.target}`;
    case "revision.restore":
      return `restored revision ${String(d.restored ?? "?")} as revision ${e.target}`;
    case "project.update":
      return d.from !== undefined ? `renamed the project from “${String(d.from)}” to “${String(d.to)}”` : `changed the project (${Array.isArray(d.fields) ? d.fields.join(", ") : ""})`;
    case "environment.create":
    case "environment.delete":
    case "environment.update":
      return `${VERBS[e.action]} ${name ?? e.target}${Array.isArray(d.fields) ? ` (${d.fields.join(", ")})` : ""}`;
    case "member.add":
    case "member.update":
      return `${VERBS[e.action]} ${e.target} (${String(d.role)})`;
    case "dlq.redrive":
      return `redrove the dead letters of ${String(d.nodeId ?? e.target)}${d.resumed ? " (resumed)" : ""}`;
    case "dlq.purge":
      return `purged the dead-letter queue of ${String(d.nodeId ?? e.target)}${typeof d.approximateMessages === "number" ? ` (~${d.approximateMessages} messages)` : ""}`;
    case "dlq.delete":
      return `deleted dead letter ${e.target} from ${String(d.nodeId ?? "a queue")}`;
    case "sandbox.start":
      return `started the local sandbox on revision ${e.target}`;
    case "sandbox.stop":
      return "stopped the local sandbox";
    case "sandbox.traffic":
      return `sent traffic to ${e.target}`;
    case "project.create":
    case "project.import":
    case "project.delete":
      return name ? `${VERBS[e.action]} “${name}”` : VERBS[e.action];
    default:
      return VERBS[e.action] ? `${VERBS[e.action]} ${e.target}` : `${e.action} ${e.target}`;
  }
}

/** Settings → Audit log: who changed what, newest first (project admins; others see nothing). */
export function AuditPanel({ projectId }: { projectId: string }) {
  const { can, loading } = useProjectRole(projectId);
  const events = useQuery({ ...auditQuery(projectId), enabled: can("admin") });
  if (loading || !can("admin")) return null;
  return (
    <section className="card" id="audit" aria-labelledby="settings-audit">
      <div className="card-header">
        <div>
          <h2 id="settings-audit">Audit log</h2>
          <p>Who changed what: saves and restores, renames, environments, members, sandbox and dead-letter actions. Kept when the project is deleted.</p>
        </div>
      </div>
      {events.error && (
        <div className="card-body">
          <ErrorNotice error={events.error} title="Could not load the audit log" onRetry={() => events.refetch()} />
        </div>
      )}
      {events.data && events.data.length === 0 && (
        <div className="card-body">
          <p className="muted">Nothing recorded yet.</p>
        </div>
      )}
      {events.data && events.data.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Audit log">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {events.data.map((e) => (
                <tr key={e.id} data-action={e.action}>
                  <td>
                    <RelativeTime iso={e.at} />
                  </td>
                  <td className="mono">{e.actor}</td>
                  <td>{describe(e)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
