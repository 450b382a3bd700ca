/**
 * IaC at the edge of the database: export a project's revision as a zip (SAM or CDK), and
 * create a project from an imported SAM/CloudFormation template. The pure work is server/iac;
 * this file only reads/writes projects and packs files.
 */
import { zipSync, strToU8 } from "fflate";
import { z } from "zod";
import { TopoError } from "../errors";
import { exportTopology, importSam, type ExportReport, type ImportReport } from "../iac";
import { slugify } from "../model/ids";
import { parseOrThrow } from "../api/parse";
import type { Db } from "./client";
import { createProject, getRevisionOrThrow, type ProjectSummary } from "./projects";

export interface ExportArchive {
  fileName: string;
  zip: Uint8Array;
  report: ExportReport;
}

/**
 * Exports one revision (default: the latest) as a zip of the SAM template and handlers, or of the
 * CDK app. Refuses (TOPO-E065) when the design has error-severity findings, unless `force`.
 */
export async function exportProjectArchive(db: Db, projectId: string, opts: { format: string; force?: boolean; revision?: number | "latest" }): Promise<ExportArchive> {
  const revision = await getRevisionOrThrow(db, projectId, opts.revision ?? "latest");
  const { files, report } = exportTopology(revision.document, opts.format, { force: opts.force });
  const folder = `${slugify(revision.document.name)}-${opts.format}`;
  const entries: Record<string, Uint8Array> = {};
  for (const f of files) entries[`${folder}/${f.path}`] = strToU8(f.content);
  entries[`${folder}/topograph-export-report.json`] = strToU8(JSON.stringify({ revision: revision.number, ...report }, null, 2));
  return { fileName: `${folder}-r${revision.number}.zip`, zip: zipSync(entries, { level: 6 }), report };
}

/** Largest template accepted for import. */
export const MAX_TEMPLATE_BYTES = 5 * 1024 * 1024;

export const ImportRequestSchema = z.object({
  template: z.string().min(1, "the template is empty").max(MAX_TEMPLATE_BYTES, "the template is larger than 5 MB"),
  fileName: z.string().max(255).default("template.yaml"),
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2_000).optional(),
});

/** Imports a template and creates a project holding it as revision 1; returns the import report too. */
export async function importProjectFromTemplate(db: Db, input: unknown): Promise<{ project: ProjectSummary; report: ImportReport }> {
  const template = (input as { template?: unknown } | null)?.template;
  // Too large is 413 like any other oversized request, not a field error.
  if (typeof template === "string" && template.length > MAX_TEMPLATE_BYTES) throw new TopoError("TOPO-E024", `the template is ${template.length} characters; the limit is ${MAX_TEMPLATE_BYTES}`, { fix: "Import a template of at most 5 MB; split larger stacks (nested stacks are imported one by one)." });
  const body = parseOrThrow(ImportRequestSchema, input);
  const { topology, report } = importSam(body.template, { fileName: body.fileName, name: body.name });
  const name = body.name ?? topology.name;
  if (!name) throw new TopoError("TOPO-E023", "the imported template has no name", { fix: "Give the project a name." });
  const project = await createProject(db, {
    name,
    description: body.description ?? `Imported from ${body.fileName}.`,
    document: { ...topology, name },
  });
  return { project, report };
}
