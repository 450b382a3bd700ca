"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { fieldErrors } from "../api";
import { useDeleteEnvironment, useDeleteProject, useUpdateProject } from "../mutations";
import { environmentsQuery, projectQuery, type EnvironmentRecord, type ProjectSummary } from "../queries";
import { ConfirmActions } from "../ui/ConfirmActions";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";
import { CloudIcon, PencilIcon, PlusIcon, ServerIcon, TrashIcon } from "../ui/icons";
import { EnvironmentForm } from "./EnvironmentForm";
import { MembersPanel } from "./MembersPanel";
import { AuditPanel } from "../auth/AuditPanel";
import { RoleGate } from "../auth/RoleGate";
import styles from "./SettingsView.module.css";

/** The Settings tab: the project's name and description, its environments, and deletion. */
export function SettingsView({ projectId }: { projectId: string }) {
  const project = useQuery(projectQuery(projectId));
  const p = project.data;
  return (
    <div className={`container page ${styles.page}`}>
      {project.error && <ErrorNotice error={project.error} onRetry={() => project.refetch()} />}
      {p && (
        <>
          <RoleGate projectId={projectId} needs="editor">
            <GeneralSettings key={p.id} project={p} />
          </RoleGate>
          <RoleGate projectId={projectId} needs="admin">
            <EnvironmentSettings projectId={projectId} />
          </RoleGate>
          <MembersPanel projectId={projectId} />
          <AuditPanel projectId={projectId} />
          <RoleGate projectId={projectId} needs="admin">
            <DangerZone project={p} />
          </RoleGate>
        </>
      )}
    </div>
  );
}

function GeneralSettings({ project }: { project: ProjectSummary }) {
  const router = useRouter();
  const update = useUpdateProject(project.id);
  const [name, setName] = useState(project.name);
  const [description, setDescription] = useState(project.description);
  const [saved, setSaved] = useState(false);
  const errors = fieldErrors(update.error);
  const dirty = name.trim() !== project.name || description.trim() !== project.description;

  return (
    <section className="card" aria-labelledby="settings-general">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const body: { name?: string; description?: string } = {};
          if (name.trim() !== project.name) body.name = name.trim();
          if (description.trim() !== project.description) body.description = description.trim();
          update.mutate(body, {
            onSuccess: () => {
              setSaved(true);
              router.refresh(); // the page title carries the project's name
            },
          });
        }}
      >
        <div className="card-header">
          <div>
            <h2 id="settings-general">General</h2>
            <p>How the project is listed. Renaming does not change any id inside the topology.</p>
          </div>
        </div>
        <div className="card-body form-stack">
          <Field label="Project name" error={errors.name}>
            {(p) => (
              <input
                {...p}
                className="input"
                value={name}
                maxLength={100}
                onChange={(e) => {
                  setName(e.target.value);
                  setSaved(false);
                }}
              />
            )}
          </Field>
          <Field label="Description" optional error={errors.description}>
            {(p) => (
              <textarea
                {...p}
                className="textarea"
                rows={3}
                value={description}
                maxLength={2000}
                onChange={(e) => {
                  setDescription(e.target.value);
                  setSaved(false);
                }}
              />
            )}
          </Field>
          {update.error && <ErrorNotice error={update.error} hidePaths={["name", "description"]} compact />}
        </div>
        <div className="card-footer">
          <span role="status" className={styles.saved}>
            {saved && !dirty ? "Saved." : ""}
          </span>
          <button
            type="button"
            className="btn"
            disabled={!dirty || update.isPending}
            onClick={() => {
              setName(project.name);
              setDescription(project.description);
              update.reset();
            }}
          >
            Discard
          </button>
          <button type="submit" className="btn btn-primary" disabled={!dirty || update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </button>
        </div>
      </form>
    </section>
  );
}

type Editing = { mode: "closed" } | { mode: "create" } | { mode: "edit"; env: EnvironmentRecord };

function EnvironmentSettings({ projectId }: { projectId: string }) {
  const environments = useQuery(environmentsQuery(projectId));
  const [editing, setEditing] = useState<Editing>({ mode: "closed" });
  const [deleting, setDeleting] = useState<EnvironmentRecord | null>(null);
  const envs = environments.data;

  return (
    <section className="card" id="environments" aria-labelledby="settings-environments">
      <div className="card-header">
        <div>
          <h2 id="settings-environments">Environments</h2>
          <p>Where the topology is observed: the local sandbox, or a deployed stack in an AWS account.</p>
        </div>
        {editing.mode === "closed" && (
          <button type="button" className="btn btn-sm" onClick={() => setEditing({ mode: "create" })}>
            <PlusIcon size={14} /> Add environment
          </button>
        )}
      </div>
      {environments.error && (
        <div className="card-body">
          <ErrorNotice error={environments.error} title="Could not load the environments" onRetry={() => environments.refetch()} />
        </div>
      )}
      {environments.isPending && (
        <div className="card-body" aria-busy="true">
          <span className="skeleton" style={{ width: "50%" }} />
        </div>
      )}
      {envs?.length === 0 && editing.mode === "closed" && (
        <div className={styles.emptyEnvs}>
          <p className="muted">No environment yet. Add the local sandbox to run this topology on your machine, or an AWS environment to watch a deployed stack.</p>
        </div>
      )}
      {envs && envs.length > 0 && (
        <div className="table-wrap">
          <table className="table" aria-label="Environments">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Kind</th>
                <th scope="col">Region</th>
                <th scope="col">Credentials</th>
                <th scope="col">Stack</th>
                <th scope="col" className="col-num">
                  Bindings
                </th>
                <th scope="col" className="col-actions">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {envs.map((env) => (
                <tr key={env.id}>
                  <td>
                    <span className={styles.envName}>
                      {env.kind === "aws" ? <CloudIcon size={14} /> : <ServerIcon size={14} />}
                      {env.name}
                    </span>
                  </td>
                  <td>
                    <span className={env.kind === "aws" ? "badge badge-warning" : "badge badge-success"}>{env.kind}</span>
                  </td>
                  <td className="mono">{env.region ?? <span className="subtle">–</span>}</td>
                  <td className={`mono ${styles.truncate}`} title={env.credentialsRef}>
                    {env.credentialsRef ?? <span className="subtle">–</span>}
                  </td>
                  <td className="mono">{env.stackName ?? <span className="subtle">–</span>}</td>
                  <td className="col-num">{Object.keys(env.bindings).length}</td>
                  <td className="col-actions">
                    <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label={`Edit ${env.name}`} title="Edit" onClick={() => setEditing({ mode: "edit", env })}>
                      <PencilIcon size={14} />
                    </button>
                    <button type="button" className="btn btn-ghost btn-icon btn-sm btn-danger-text" aria-label={`Delete ${env.name}`} title="Delete" onClick={() => setDeleting(env)}>
                      <TrashIcon size={14} />
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing.mode !== "closed" && (
        <EnvironmentForm
          key={editing.mode === "edit" ? editing.env.id : "new"}
          projectId={projectId}
          environment={editing.mode === "edit" ? editing.env : undefined}
          onDone={() => setEditing({ mode: "closed" })}
        />
      )}
      <DeleteEnvironmentDialog projectId={projectId} environment={deleting} onClose={() => setDeleting(null)} />
    </section>
  );
}

function DeleteEnvironmentDialog({ projectId, environment, onClose }: { projectId: string; environment: EnvironmentRecord | null; onClose: () => void }) {
  const remove = useDeleteEnvironment(projectId);
  const close = () => {
    remove.reset();
    onClose();
  };
  return (
    <Dialog
      open={!!environment}
      onClose={close}
      tone="danger"
      title={environment ? `Delete environment “${environment.name}”?` : "Delete environment"}
      description={<p>Its node bindings are deleted with it. Nothing in the environment itself (a stack, a sandbox) is touched.</p>}
    >
      <ConfirmActions
        error={remove.error}
        pending={remove.isPending}
        label="Delete environment"
        pendingLabel="Deleting…"
        onCancel={close}
        onConfirm={() => environment && remove.mutate(environment.id, { onSuccess: close })}
      />
    </Dialog>
  );
}

function DangerZone({ project }: { project: ProjectSummary }) {
  const router = useRouter();
  const remove = useDeleteProject();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const close = () => {
    setOpen(false);
    setTyped("");
    remove.reset();
  };
  return (
    <section className={`card ${styles.danger}`} aria-labelledby="settings-danger">
      <div className="card-header">
        <div>
          <h2 id="settings-danger">Danger zone</h2>
          <p>Deleting the project removes its {project.latestRevision === 1 ? "revision" : `${project.latestRevision} revisions`} and its environments. It cannot be undone.</p>
        </div>
        <button type="button" className="btn btn-danger-outline" onClick={() => setOpen(true)}>
          <TrashIcon size={14} /> Delete project
        </button>
      </div>
      <Dialog
        open={open}
        onClose={close}
        tone="danger"
        title={`Delete “${project.name}”?`}
        description={
          <p>
            This permanently deletes <strong>{project.name}</strong>, every revision of its topology and its environments. Deployed stacks and exported templates are not touched.
          </p>
        }
      >
        <form
          className="form-stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (typed !== project.name) return;
            remove.mutate(project.id, { onSuccess: () => router.push("/") });
          }}
        >
          <Field label={`Type ${project.name} to confirm`}>
            {(p) => <input {...p} className="input" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" autoFocus spellCheck={false} />}
          </Field>
          {remove.error && <ErrorNotice error={remove.error} compact />}
          <div className="btn-row">
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn btn-danger" disabled={typed !== project.name || remove.isPending}>
              {remove.isPending ? "Deleting…" : "Delete this project"}
            </button>
          </div>
        </form>
      </Dialog>
    </section>
  );
}
