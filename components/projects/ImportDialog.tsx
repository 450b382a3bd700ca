"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { apiFetch, fieldErrors } from "../api";
import { projectKeys, type ProjectSummary } from "../queries";
import { Dialog } from "../ui/Dialog";
import { ErrorNotice } from "../ui/ErrorNotice";
import { Field } from "../ui/Field";

/** The server's import report (server/iac ImportReport), as far as this dialog shows it. */
interface ImportReportView {
  dialect: "sam" | "cloudformation";
  nothingModelled: boolean;
  summary: string;
  understood: unknown[];
  opaque: unknown[];
  failed: { message: string; line?: number; pointer: string }[];
}

const MAX_BYTES = 5 * 1024 * 1024;

/**
 * Import a SAM or CloudFormation template (YAML or JSON) as a new project. The server parses
 * it; what it does not model is kept verbatim and exported again unchanged.
 */
export function ImportDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const qc = useQueryClient();
  const [fileError, setFileError] = useState<string | null>(null);
  const imp = useMutation({
    mutationFn: (body: { template: string; fileName: string; name?: string }) =>
      apiFetch<{ project: ProjectSummary; report: ImportReportView }>("/api/projects/import", { method: "POST", body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: projectKeys.all }),
  });
  const errors = fieldErrors(imp.error);
  const close = () => {
    imp.reset();
    setFileError(null);
    onClose();
  };
  const done = imp.data;

  return (
    <Dialog open={open} onClose={close} title="Import a SAM template" description="A SAM or CloudFormation template (YAML or JSON, up to 5 MB) becomes a new project. Parameters, conditions, outputs and resources Topograph does not model are kept and exported again unchanged.">
      {done ? (
        <div className="form-stack">
          <p role="status">
            Imported <strong>{done.project.name}</strong> ({done.report.dialect === "sam" ? "SAM" : "CloudFormation"}): {done.project.counts.nodes} nodes, {done.project.counts.edges} edges
            {done.report.nothingModelled ? ", nothing modelled — the template is kept as it is." : "."}
          </p>
          <p className="muted" data-testid="import-summary">
            {done.report.understood.length} understood · {done.report.opaque.length} kept verbatim · {done.report.failed.length} failed
          </p>
          {done.report.failed.length > 0 && (
            <ul className="muted">
              {done.report.failed.slice(0, 8).map((f) => (
                <li key={f.pointer}>
                  {f.line ? `line ${f.line}: ` : ""}
                  {f.message}
                </li>
              ))}
            </ul>
          )}
          <div className="btn-row">
            <button type="button" className="btn" onClick={close}>
              Close
            </button>
            <Link className="btn btn-primary" href={`/projects/${done.project.id}/design`}>
              Open its design
            </Link>
          </div>
        </div>
      ) : (
        <form
          className="form-stack"
          onSubmit={async (e) => {
            e.preventDefault();
            setFileError(null);
            const form = new FormData(e.currentTarget);
            const file = form.get("template");
            if (!(file instanceof File) || file.size === 0) return setFileError("Choose a template file.");
            if (file.size > MAX_BYTES) return setFileError(`The file is ${(file.size / 1024 / 1024).toFixed(1)} MB; the limit is 5 MB.`);
            const name = String(form.get("name") ?? "").trim();
            imp.mutate({ template: await file.text(), fileName: file.name, ...(name ? { name } : {}) });
          }}
        >
          <Field label="Template file" error={fileError ?? errors.template}>
            {(p) => <input {...p} name="template" type="file" accept=".yaml,.yml,.json,.template" className="input" required />}
          </Field>
          <Field label="Project name" optional error={errors.name} hint="Defaults to the template's name.">
            {(p) => <input {...p} name="name" className="input" maxLength={100} autoComplete="off" />}
          </Field>
          {imp.error && <ErrorNotice error={imp.error} hidePaths={["name", "template"]} compact />}
          <div className="btn-row">
            <button type="button" className="btn" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={imp.isPending}>
              {imp.isPending ? "Importing…" : "Import"}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
