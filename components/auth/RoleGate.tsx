"use client";

import type { ReactNode } from "react";
import { useProjectRole, type Role } from "./queries";

/**
 * Disables every control inside when the viewer's role on the project is below `needs` (the API
 * refuses those actions anyway: this keeps the UI honest about it).
 * @example <RoleGate projectId={id} needs="admin"><DangerZone project={p} /></RoleGate>
 */
export function RoleGate({ projectId, needs, children }: { projectId: string; needs: Role; children: ReactNode }) {
  const { can, loading } = useProjectRole(projectId);
  const locked = !loading && !can(needs);
  return (
    <fieldset disabled={locked} data-locked={locked || undefined} title={locked ? `Needs the ${needs} role on this project` : undefined} style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }}>
      {children}
    </fieldset>
  );
}
