"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { fieldErrors } from "../api";
import { plural } from "../format";
import { useCreateProject, useDeleteProject, useUpdateProject } from "../mutations";
import { projectsQuery, type ProjectSummary } from "../queries";
import { ConfirmActions } from "../ui/ConfirmActions";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";
import { CloseIcon, PencilIcon, PlusIcon, SearchIcon, TopologyIcon, TrashIcon, UploadIcon } from "../ui/icons";
import { ImportDialog } from "./ImportDialog";
import { RelativeTime } from "../ui/RelativeTime";
import styles from "./ProjectList.module.css";

export function ProjectList() {
  const projects = useQuery(projectsQuery());
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deleting, setDeleting] = useState<ProjectSummary | null>(null);
  const [created, setCreated] = useState<ProjectSummary | null>(null);
  const [filter, setFilter] = useState("");

  const visible = useMemo(() => {
    const q = filter.trim().toLowerCase();
    if (!projects.data || !q) return projects.data ?? [];
    return projects.data.filter((p) => p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q));
  }, [projects.data, filter]);

  return (
    <div className="container page">
      <div className="page-header">
        <div>
          <h1>Projects</h1>
          <p>Each project holds one topology (its bounded contexts, functions, sources and triggers), its revision history and the environments it is observed in.</p>
        </div>
        <div className="btn-row">
          <button type="button" className="btn" onClick={() => setImporting(true)}>
            <UploadIcon /> Import SAM template
          </button>
          {projects.data && projects.data.length > 0 && (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              <PlusIcon /> New project
            </button>
          )}
        </div>
      </div>

      <div role="status" className={styles.status}>
        {created && (
          <div className="notice">
            <span>
              Project <strong>{created.name}</strong> created.{" "}
              <Link href={`/projects/${created.id}/design`}>Open its design</Link>
            </span>
            <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label="Dismiss" onClick={() => setCreated(null)}>
              <CloseIcon size={14} />
            </button>
          </div>
        )}
      </div>

      {projects.error && <ErrorNotice error={projects.error} title="Could not load the projects" onRetry={() => projects.refetch()} />}

      {projects.isPending && <ListSkeleton />}

      {projects.data?.length === 0 && (
        <section className="card">
          <div className="empty">
            <div className="empty-icon">
              <TopologyIcon size={22} />
            </div>
            <h2>No projects yet</h2>
            <p>
              A project holds one topology: its bounded contexts, the functions, queues and streams they own, and the triggers between them. Create one to start designing.
            </p>
            <div className="btn-row">
              <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
                <PlusIcon /> New project
              </button>
            </div>
          </div>
        </section>
      )}

      {projects.data && projects.data.length > 0 && (
        <section className="card" aria-label="Project list">
          <div className={styles.toolbar}>
            <div className={`input-with-icon ${styles.filter}`}>
              <SearchIcon size={14} />
              <input
                className="input input-sm"
                type="search"
                aria-label="Filter projects"
                placeholder="Filter by name or description"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </div>
            <span className="muted">
              {filter.trim() ? `${visible.length} of ${plural(projects.data.length, "project")}` : plural(projects.data.length, "project")}
            </span>
          </div>
          <div className="table-wrap">
            <table className="table" aria-label="Projects">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col" className="col-num">
                    Revision
                  </th>
                  <th scope="col" className="col-num">
                    Contexts
                  </th>
                  <th scope="col" className="col-num">
                    Functions
                  </th>
                  <th scope="col" className="col-num">
                    Edges
                  </th>
                  <th scope="col">Updated</th>
                  <th scope="col" className="col-actions">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {visible.map((p) => (
                  <ProjectRow key={p.id} project={p} onDelete={() => setDeleting(p)} />
                ))}
                {visible.length === 0 && (
                  <tr>
                    <td colSpan={7} className="muted">
                      No project matches “{filter.trim()}”.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}

      <CreateProjectDialog
        open={creating}
        onClose={() => setCreating(false)}
        onCreated={(p) => {
          setCreating(false);
          setCreated(p);
        }}
      />
      <DeleteProjectDialog project={deleting} onClose={() => setDeleting(null)} />
      <ImportDialog open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}

function ProjectRow({ project: p, onDelete }: { project: ProjectSummary; onDelete: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const update = useUpdateProject(p.id);
  const href = `/projects/${p.id}/design`;

  return (
    <tr>
      <td className={styles.nameCell}>
        {renaming ? (
          <form
            className={styles.renameForm}
            onSubmit={(e) => {
              e.preventDefault();
              const name = String(new FormData(e.currentTarget).get("name") ?? "").trim();
              if (name === p.name) return setRenaming(false);
              update.mutate({ name }, { onSuccess: () => setRenaming(false) });
            }}
          >
            <div className="btn-row">
              <input
                name="name"
                className="input input-sm"
                aria-label={`New name for ${p.name}`}
                defaultValue={p.name}
                maxLength={100}
                required
                autoFocus
                onFocus={(e) => e.currentTarget.select()}
                aria-invalid={update.isError || undefined}
                onKeyDown={(e) => {
                  if (e.key === "Escape") {
                    update.reset();
                    setRenaming(false);
                  }
                }}
              />
              <button type="submit" className="btn btn-primary btn-sm" disabled={update.isPending}>
                {update.isPending ? "Saving…" : "Save"}
              </button>
              <button
                type="button"
                className="btn btn-sm"
                onClick={() => {
                  update.reset();
                  setRenaming(false);
                }}
              >
                Cancel
              </button>
            </div>
            {update.error && <ErrorNotice error={update.error} compact />}
          </form>
        ) : (
          <>
            <Link href={href} className={styles.name}>
              {p.name}
            </Link>
            {p.description ? (
              <p className={styles.description} title={p.description}>
                {p.description}
              </p>
            ) : (
              <p className={`${styles.description} subtle`}>No description</p>
            )}
          </>
        )}
      </td>
      <td className="col-num">
        <span className="badge">r{p.latestRevision}</span>
      </td>
      <td className="col-num">{p.counts.contexts}</td>
      <td className="col-num">{p.counts.functions}</td>
      <td className="col-num">{p.counts.edges}</td>
      <td className="muted">
        <RelativeTime iso={p.updatedAt} />
      </td>
      <td className="col-actions">
        <div className={styles.actions}>
          <button type="button" className="btn btn-ghost btn-icon btn-sm" aria-label={`Rename ${p.name}`} title="Rename" onClick={() => setRenaming(true)} disabled={renaming}>
            <PencilIcon size={14} />
          </button>
          <button type="button" className="btn btn-ghost btn-icon btn-sm btn-danger-text" aria-label={`Delete ${p.name}`} title="Delete" onClick={onDelete}>
            <TrashIcon size={14} />
          </button>
        </div>
      </td>
    </tr>
  );
}

function CreateProjectDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (p: ProjectSummary) => void }) {
  const create = useCreateProject();
  const errors = fieldErrors(create.error);
  const close = () => {
    create.reset();
    onClose();
  };
  return (
    <Dialog open={open} onClose={close} title="New project" description="A project starts with an empty topology as revision 1.">
      <form
        className="form-stack"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          create.mutate(
            { name: String(form.get("name") ?? "").trim(), description: String(form.get("description") ?? "").trim() },
            {
              onSuccess: (p) => {
                create.reset();
                onCreated(p);
              },
            },
          );
        }}
      >
        <Field label="Name" error={errors.name}>
          {(p) => <input {...p} name="name" className="input" required maxLength={100} autoFocus placeholder="e.g. Payments" autoComplete="off" />}
        </Field>
        <Field label="Description" optional error={errors.description} hint="One or two sentences: what the system does and who owns it.">
          {(p) => <textarea {...p} name="description" className="textarea" rows={3} maxLength={2000} />}
        </Field>
        {create.error && <ErrorNotice error={create.error} hidePaths={["name", "description"]} compact />}
        <div className="btn-row">
          <button type="button" className="btn" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create project"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function DeleteProjectDialog({ project, onClose }: { project: ProjectSummary | null; onClose: () => void }) {
  const remove = useDeleteProject();
  const close = () => {
    remove.reset();
    onClose();
  };
  const p = project;
  return (
    <Dialog
      open={!!p}
      onClose={close}
      tone="danger"
      title={p ? `Delete “${p.name}”?` : "Delete project"}
      description={
        p && (
          <p>
            This permanently deletes <strong>{p.name}</strong> with its {plural(p.latestRevision, "revision")} and its environments. Deployed stacks and exported templates are not
            touched.
          </p>
        )
      }
    >
      <ConfirmActions
        error={remove.error}
        pending={remove.isPending}
        label="Delete project"
        pendingLabel="Deleting…"
        onCancel={close}
        onConfirm={() => p && remove.mutate(p.id, { onSuccess: close })}
      />
    </Dialog>
  );
}

function ListSkeleton() {
  return (
    <section className="card" aria-busy="true" aria-label="Loading projects">
      <div className={styles.toolbar}>
        <span className="skeleton" style={{ width: 240, height: 28 }} />
      </div>
      {[0, 1, 2].map((i) => (
        <div key={i} className={styles.skeletonRow}>
          <span className="skeleton" style={{ width: "30%" }} />
          <span className="skeleton" style={{ width: "45%" }} />
        </div>
      ))}
    </section>
  );
}
