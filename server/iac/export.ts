/**
 * Export entry points: topology → files. Validate (parseTopologyOrThrow), refuse designs with
 * error-severity findings unless forced, build the IR once, run one emitter. Pure: the caller
 * (CLI, API route) writes the files wherever it wants.
 */
import { TopoError } from "../errors";
import { parseTopologyOrThrow } from "../model/validate";
import type { Topology } from "../model/schema";
import { lintTopology, type Finding } from "../rules/index";
import { buildIr, type ExportNote, type Ir } from "./ir/build";
import { isPlainObject, type JsonObject } from "./parse/intrinsics";
import { generateSam } from "./emit/sam";
import { writeYaml } from "./emit/yaml";
import { handlerFiles, type ExportFile } from "./emit/handlers";
import { emitCdk } from "./emit/cdk";
import type { CommentMap } from "./parse/template";

export type { ExportFile };

export interface ExportOptions {
  /** Export even when the design has error-severity findings (they are listed in the report). */
  force?: boolean;
  /** Write handler stubs for functions (default true). */
  handlers?: boolean;
}

export interface ExportReport {
  format: "sam" | "cdk";
  topology: string;
  /** Element id → logical id; persist it with `stampLogicalIds` so renames never replace resources. */
  logicalIds: Record<string, string>;
  counts: { resources: number; functions: number; events: number; files: number };
  /** What the export could not say, or said differently, with the element concerned. */
  notes: ExportNote[];
  /** Error-severity findings exported anyway (`force`). */
  forcedFindings: Finding[];
}

export interface SamExport {
  files: ExportFile[];
  report: ExportReport;
  /** The template as data (long-form intrinsics), for callers that want more than text. */
  template: JsonObject;
}

/** Validates, then refuses a design with error findings unless `force`. */
export function prepareExport(topology: unknown, opts: ExportOptions): { doc: Topology; ir: Ir; forced: Finding[] } {
  const doc = parseTopologyOrThrow(topology);
  const errors = lintTopology(doc, { severity: "error" });
  if (errors.length && !opts.force) {
    throw new TopoError("TOPO-E065", `${doc.name} has ${errors.length} error-severity finding${errors.length > 1 ? "s" : ""}; not exported. First: ${errors[0].ruleId}: ${errors[0].message}`, {
      details: errors.map((f) => ({ path: f.elements[0], elementId: f.elements[0], message: `${f.ruleId}: ${f.message}`, fix: f.fix })),
    });
  }
  return { doc, ir: buildIr(doc), forced: errors };
}

/**
 * Topology → `template.yaml` plus handler stubs and a README.
 * @example exportSam(ordersTopology).files.map((f) => f.path) // ["README.md", "src/orders/handler.mjs", …, "template.yaml"]
 */
export function exportSam(topology: unknown, opts: ExportOptions = {}): SamExport {
  const { doc, ir, forced } = prepareExport(topology, opts);
  const gen = generateSam(ir);
  const comments = commentsOf(doc);
  const yaml = writeYaml(gen.template, { comments });
  const files: ExportFile[] = [{ path: "template.yaml", content: yaml }];
  const notes = [...gen.notes];
  if (opts.handlers !== false) {
    const h = handlerFiles(gen.template, doc, ir.logicalIds);
    files.push(...h.files);
    for (const s of h.skipped) notes.push({ message: s });
  }
  const resources = isPlainObject(gen.template.Resources) ? Object.values(gen.template.Resources) : [];
  const functions = resources.filter((r) => isPlainObject(r) && (r.Type === "AWS::Serverless::Function" || r.Type === "AWS::Lambda::Function")).length;
  const events = [...gen.placements.values()].filter((p) => p.pointer.includes("/Events/")).length;
  const report: ExportReport = {
    format: "sam",
    topology: doc.name,
    logicalIds: Object.fromEntries(ir.logicalIds),
    counts: { resources: resources.length, functions, events, files: files.length + 1 },
    notes,
    forcedFindings: forced,
  };
  files.push({ path: "README.md", content: readme(doc, report) });
  files.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, report, template: gen.template };
}

/**
 * Topology → a CDK app in TypeScript (one construct per bounded context).
 * @example exportCdk(ordersTopology).files.some((f) => f.path === "lib/orders-construct.ts") // true
 */
export function exportCdk(topology: unknown, opts: ExportOptions = {}): { files: ExportFile[]; report: ExportReport } {
  const { doc, ir, forced } = prepareExport(topology, opts);
  const out = emitCdk(ir, { handlers: opts.handlers !== false });
  const report: ExportReport = {
    format: "cdk",
    topology: doc.name,
    logicalIds: Object.fromEntries(ir.logicalIds),
    counts: { resources: out.resources, functions: out.functions, events: out.events, files: out.files.length },
    notes: out.notes,
    forcedFindings: forced,
  };
  return { files: out.files, report };
}

/**
 * One entry point for callers that take the format as data (an API route's `?format=`).
 * @example exportTopology(doc, "cdk").files.some((f) => f.path === "bin/app.ts") // true
 */
export function exportTopology(topology: unknown, format: string, opts: ExportOptions = {}): { files: ExportFile[]; report: ExportReport } {
  if (format === "sam") return exportSam(topology, opts);
  if (format === "cdk") return exportCdk(topology, opts);
  throw new TopoError("TOPO-E067", `unknown export format "${format}"; use "sam" or "cdk"`);
}

function commentsOf(doc: Topology): CommentMap {
  const c = doc.iac?.sam?.["@comments"];
  return isPlainObject(c) ? (c as CommentMap) : {};
}

function readme(doc: Topology, report: ExportReport): string {
  const lines = [
    `# ${doc.name}: AWS SAM`,
    "",
    "Generated by Topograph from the topology of the same name. Build and deploy with:",
    "",
    "```sh",
    "sam build",
    "sam deploy --guided",
    "```",
    "",
    `${report.counts.functions} functions, ${report.counts.resources} resources, ${report.counts.events} event sources. Bounded contexts are`,
    "`AWS::Composer::Groups` in the template's Metadata (Infrastructure Composer shows them as groups) and a `context`",
    "tag on every resource that takes tags.",
  ];
  if (report.notes.length) {
    lines.push("", "## Notes", "");
    for (const n of report.notes) lines.push(`- ${n.message}`);
  }
  if (report.forcedFindings.length) {
    lines.push("", "## Exported despite design errors", "");
    for (const f of report.forcedFindings) lines.push(`- ${f.ruleId}: ${f.message}`);
  }
  return lines.join("\n") + "\n";
}
