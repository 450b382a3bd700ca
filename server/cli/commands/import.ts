import { readFile, writeFile } from "node:fs/promises";
import { basename } from "node:path";
import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, reportError, type Io } from "../io";
import { importSam, type ImportEntry, type ImportReport, type ImportResult } from "../../iac/import/sam";

/** Reads a template's bytes (the importer checks UTF-8 itself); a missing file is TOPO-E031. */
export async function readTemplateBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new TopoError("TOPO-E031", `cannot read ${path}: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (e as Error).message}`);
  }
}

/** Imports a template file: the topology and the report. */
export async function importTemplateFile(path: string, name?: string): Promise<ImportResult> {
  const bytes = await readTemplateBytes(path);
  return importSam(bytes, { fileName: basename(path), ...(name ? { name } : {}) });
}

/**
 * `topo import <template.yaml|json> [-o topology.json] [--name <name>] [--json]`: imports a SAM or
 * CloudFormation template and prints the import report (what was understood, kept verbatim, not
 * modelled, with line numbers). Exit 0 on success (also when nothing is modelled: the report
 * says TOPO-E064), 2 when the file is not a template (TOPO-E031, E060–E063).
 */
export const registerImport: RegisterCommand = (program, io, setExit) => {
  program
    .command("import")
    .description("import a SAM or CloudFormation template as a topology, with a report of what was understood and kept verbatim")
    .argument("<template>", "template.yaml, template.yml or template.json")
    .option("-o, --output <topology.json>", "write the topology document here")
    .option("--name <name>", "name of the topology (default: from the file name)")
    .option("--json", "print the report (and the topology, without -o) as JSON")
    .action(async (file: string, opts: { output?: string; name?: string; json?: boolean }) => {
      const json = !!opts.json;
      let result: ImportResult;
      try {
        result = await importTemplateFile(file, opts.name);
      } catch (e) {
        setExit(reportError(e, io, json));
        return;
      }
      if (opts.output) {
        try {
          await writeFile(opts.output, JSON.stringify(result.topology, null, 2) + "\n");
        } catch (e) {
          setExit(reportError(new TopoError("TOPO-E066", `cannot write ${opts.output}: ${(e as Error).message}`), io, json));
          return;
        }
      }
      if (json) io.out(JSON.stringify(opts.output ? { report: result.report, output: opts.output } : { report: result.report, topology: result.topology }, null, 2));
      else {
        printReport(io, result.report);
        io.out(opts.output ? `wrote ${opts.output}` : "(use -o topology.json to save the topology)");
      }
      setExit(EXIT.ok);
    });
};

/** Human report: the summary, then what was understood, kept verbatim, not modelled and warnings, with lines. */
export function printReport(io: Io, r: ImportReport) {
  io.out(r.summary);
  const section = (title: string, entries: ImportEntry[]) => {
    if (!entries.length) return;
    io.out(`\n${title} (${entries.length})`);
    for (const e of entries) io.out(`  ${e.line ? `line ${String(e.line).padEnd(5)}` : "          "} ${e.logicalId ? `${e.logicalId}: ` : ""}${e.code ? `${e.code} ` : ""}${e.message}`);
  };
  section("Understood", r.understood);
  section("Kept verbatim", r.opaque);
  section("Not modelled, kept verbatim", r.failed);
  section("Warnings", r.warnings.filter((w) => w.code !== "TOPO-E064"));
}
