"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch, fieldErrors } from "../api";
import { authKeys, meQuery, membersQuery, type MemberRecord, type Role } from "../auth/queries";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";
import { TrashIcon } from "../ui/icons";

const enc = encodeURIComponent;
const ROLE_HELP: Record<Role, string> = {
  viewer: "sees the design and live data",
  editor: "changes designs, runs the sandbox, peeks at dead letters",
  admin: "environments, credential references, redrive/delete/purge, members",
};

/** Settings → Members: who has which role on the project. Admins add, re-role and remove members. */
export function MembersPanel({ projectId }: { projectId: string }) {
  const qc = useQueryClient();
  const me = useQuery(meQuery(projectId));
  const members = useQuery(membersQuery(projectId));
  const isAdmin = members.data?.you.role === "admin";
  const local = me.data?.mode === "local-admin";
  const invalidate = () => {
    qc.invalidateQueries({ queryKey: authKeys.members(projectId) });
    qc.invalidateQueries({ queryKey: authKeys.audit(projectId) });
  };
  const change = useMutation({
    mutationFn: ({ userId, role }: { userId: string; role: Role }) => apiFetch(`/api/projects/${enc(projectId)}/members/${enc(userId)}`, { method: "PATCH", body: { role } }),
    onSuccess: invalidate,
  });
  const remove = useMutation({
    mutationFn: (userId: string) => apiFetch(`/api/projects/${enc(projectId)}/members/${enc(userId)}`, { method: "DELETE" }),
    onSuccess: invalidate,
  });

  return (
    <section className="card" id="members" aria-labelledby="settings-members">
      <div className="card-header">
        <div>
          <h2 id="settings-members">Members</h2>
          <p>
            {local
              ? "Sign-in is off (local admin on loopback): roles apply once sign-in is on (TOPO_AUTH=on, or serving on another address)."
              : "Viewer sees the design and live data; editor changes designs and runs the sandbox; admin manages environments, dead letters and members. Topograph administrators are admin everywhere."}
          </p>
        </div>
      </div>
      {members.error && (
        <div className="card-body">
          <ErrorNotice error={members.error} title="Could not load the members" onRetry={() => members.refetch()} />
        </div>
      )}
      {(change.error || remove.error) && (
        <div className="card-body">
          <ErrorNotice error={change.error ?? remove.error} title="Could not change the member" compact />
        </div>
      )}
      {members.data && members.data.members.length === 0 && (
        <div className="card-body">
          <p className="muted">No members yet{local ? "" : ": only Topograph administrators can open this project"}.</p>
        </div>
      )}
      {members.data && members.data.members.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Members">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col" className="col-actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m: MemberRecord) => (
                <tr key={m.userId}>
                  <td className="mono">
                    {m.email} {m.globalAdmin && <span className="badge badge-accent">Topograph admin</span>}
                  </td>
                  <td>{m.name || <span className="subtle">–</span>}</td>
                  <td>
                    {isAdmin ? (
                      <select
                        className="select input-sm"
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        disabled={change.isPending}
                        onChange={(e) => change.mutate({ userId: m.userId, role: e.target.value as Role })}
                      >
                        <option value="viewer">viewer</option>
                        <option value="editor">editor</option>
                        <option value="admin">admin</option>
                      </select>
                    ) : (
                      <span className="badge">{m.role}</span>
                    )}
                  </td>
                  <td className="col-actions">
                    {isAdmin && (
                      <button type="button" className="btn btn-ghost btn-icon btn-sm btn-danger-text" aria-label={`Remove ${m.email}`} title="Remove" disabled={remove.isPending} onClick={() => remove.mutate(m.userId)}>
                        <TrashIcon size={14} />
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isAdmin && <AddMemberForm projectId={projectId} mayCreate={me.data?.user?.role === "admin"} onAdded={invalidate} />}
    </section>
  );
}

function AddMemberForm({ projectId, mayCreate, onAdded }: { projectId: string; mayCreate: boolean; onAdded: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const add = useMutation({
    mutationFn: () => apiFetch(`/api/projects/${enc(projectId)}/members`, { method: "POST", body: { email, role, ...(password ? { password } : {}) } }),
    onSuccess: () => {
      setEmail("");
      setPassword("");
      onAdded();
    },
  });
  const errors = fieldErrors(add.error);
  return (
    <form
      className="card-body form-stack"
      aria-label="Add a member"
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      {add.error && <ErrorNotice error={add.error} title="Could not add the member" hidePaths={["email", "password"]} compact />}
      <div className="form-grid">
        <Field label="Member email" error={errors.email}>
          {(p) => <input {...p} className="input" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <Field label="Role" hint={ROLE_HELP[role]}>
          {(p) => (
            <select {...p} className="select" value={role} onChange={(e) => setRole(e.target.value as Role)}>
              <option value="viewer">viewer</option>
              <option value="editor">editor</option>
              <option value="admin">admin</option>
            </select>
          )}
        </Field>
        {mayCreate && (
          <Field label="First password" optional error={errors.password} hint="Only for a new user: creates the account (12+ characters; they can be given a new one later).">
            {(p) => <input {...p} className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />}
          </Field>
        )}
      </div>
      <div className="btn-row">
        <button type="submit" className="btn btn-primary btn-sm" disabled={add.isPending || !email}>
          Add member
        </button>
      </div>
    </form>
  );
}
