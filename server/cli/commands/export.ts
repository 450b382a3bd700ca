import { access, mkdir, writeFile } from "node:fs/promises";
import { dirname, extname, resolve, sep } from "node:path";
import { Option } from "commander";
import type { RegisterCommand } from "./index";
import { TopoError, isTopoError } from "../../errors";
import { EXIT, formatProblems, readInput, reportError } from "../io";
import { exportCdk, exportSam, type ExportFile, type ExportReport } from "../../iac/export";
import { importTemplateFile } from "./import";

/** Files the export always rewrites; everything else (handler code, README) is written only when absent. */
const GENERATED = /^(template\.yaml|package\.json|cdk\.json|tsconfig\.json|\.gitignore|bin\/.*|lib\/.*)$/;

/**
 * `topo export <topology.json|template> --format sam|cdk -o <dir> [--force] [--json]`: writes the
 * SAM template (and handler stubs) or the CDK app. A SAM/CloudFormation template as input is
 * imported first (so `--format cdk` converts SAM to CDK). Refuses a design with error-severity
 * findings unless --force (exit 1, findings listed); bad input exits 2.
 */
export const registerExport: RegisterCommand = (program, io, setExit) => {
  program
    .command("export")
    .description("export a topology as an AWS SAM template or an AWS CDK app")
    .argument("<topology>", "topology.json (or a SAM/CloudFormation template, imported first)")
    .addOption(new Option("--format <format>", "what to write").choices(["sam", "cdk"]).makeOptionMandatory())
    .requiredOption("-o, --output <dir>", "directory to write into (created if needed)")
    .option("--force", "export even when the design has error-severity findings")
    .option("--no-handlers", "do not write handler stubs")
    .option("--json", "print the files written and the report as JSON")
    .action(async (file: string, opts: { format: "sam" | "cdk"; output: string; force?: boolean; handlers: boolean; json?: boolean }) => {
      const json = !!opts.json;
      let input: unknown;
      try {
        input = await readTopologyOrTemplate(file);
      } catch (e) {
        setExit(reportError(e, io, json));
        return;
      }
      let files: ExportFile[];
      let report: ExportReport;
      try {
        ({ files, report } = opts.format === "sam" ? exportSam(input, { force: opts.force, handlers: opts.handlers }) : exportCdk(input, { force: opts.force, handlers: opts.handlers }));
      } catch (e) {
        if (isTopoError(e) && e.code === "TOPO-E065") {
          if (json) io.out(JSON.stringify(e.toJSON(), null, 2));
          else {
            io.err(`${e.code}: ${e.message}`);
            if (e.details?.length) io.err(formatProblems(e.details));
            io.err(`fix: ${e.fix}`);
          }
          setExit(EXIT.findings);
          return;
        }
        setExit(reportError(e, io, json));
        return;
      }
      let written: { path: string; status: "written" | "kept" }[];
      try {
        written = await writeFiles(opts.output, files);
      } catch (e) {
        setExit(reportError(e, io, json));
        return;
      }
      if (json) io.out(JSON.stringify({ ok: true, format: opts.format, output: opts.output, files: written, report }, null, 2));
      else {
        const kept = written.filter((f) => f.status === "kept");
        const main = opts.format === "sam" ? "template.yaml" : "a CDK app";
        io.out(`${report.topology}: wrote ${main} (${report.counts.functions} functions, ${report.counts.resources} resources, ${report.counts.events} event sources) and ${written.length - kept.length - 1} other files to ${opts.output}`);
        if (kept.length) io.out(`kept ${kept.length} existing file${kept.length > 1 ? "s" : ""} (handler code and README are never overwritten): ${kept.map((f) => f.path).join(", ")}`);
        if (report.forcedFindings.length) io.out(`\nexported despite ${report.forcedFindings.length} design error${report.forcedFindings.length > 1 ? "s" : ""} (--force):\n${report.forcedFindings.map((f) => `  ${f.ruleId}: ${f.message}`).join("\n")}`);
        if (report.notes.length) io.out(`\nnotes:\n${report.notes.map((n) => `  - ${n.message}`).join("\n")}`);
        io.out(opts.format === "sam" ? `next: cd ${opts.output} && sam build && sam deploy --guided` : `next: cd ${opts.output} && npm install && npx cdk synth`);
      }
      setExit(EXIT.ok);
    });
};

/** A topology document, or a template imported into one. */
async function readTopologyOrTemplate(file: string): Promise<unknown> {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml" || ext === ".template") return (await importTemplateFile(file)).topology;
  const text = await readInput(file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new TopoError("TOPO-E001", `${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (value && typeof value === "object" && !Array.isArray(value) && "Resources" in value && !("schemaVersion" in value)) return (await importTemplateFile(file)).topology;
  return value;
}

async function writeFiles(dir: string, files: ExportFile[]): Promise<{ path: string; status: "written" | "kept" }[]> {
  const root = resolve(dir);
  const out: { path: string; status: "written" | "kept" }[] = [];
  try {
    await mkdir(root, { recursive: true });
    for (const f of files) {
      const target = resolve(root, f.path);
      if (!target.startsWith(root + sep)) throw new TopoError("TOPO-E066", `refusing to write ${f.path} outside ${dir}`);
      if (!GENERATED.test(f.path) && (await exists(target))) {
        out.push({ path: f.path, status: "kept" });
        continue;
      }
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, f.content);
      out.push({ path: f.path, status: "written" });
    }
  } catch (e) {
    if (isTopoError(e)) throw e;
    throw new TopoError("TOPO-E066", `cannot write the export to ${dir}: ${(e as Error).message}`);
  }
  return out;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

