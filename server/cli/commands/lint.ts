import { Option } from "commander";
import type { RegisterCommand } from "./index";
import { TopoError } from "../../errors";
import { EXIT, readInput, reportError, type Io } from "../io";
import { validateTopologyText } from "../../model/validate";
import type { Topology } from "../../model/schema";
import { RULES, SEVERITIES, lintTopology, type Finding, type Severity } from "../../rules/index";
import { importTemplateFile } from "./import";

/**
 * `topo lint <file> [--json] [--severity error|warning|info]`: runs the design rules on a
 * topology document, or on a SAM/CloudFormation template (imported first: `.yaml`, `.yml`, or JSON
 * with `Resources`). Exit 0 when no error-severity finding, 1 when there is one, 2 on bad input
 * (unreadable file, invalid document or template, bad usage).
 */
export const registerLint: RegisterCommand = (program, io, setExit) => {
  program
    .command("lint")
    .description("check a topology document (or a SAM template) against the design rules (docs/rules/)")
    .argument("<file>", "topology document, or a SAM/CloudFormation template (imported first)")
    .option("--json", "print the findings as a JSON array")
    .addOption(new Option("--severity <level>", "lowest severity to report").choices(SEVERITIES).default("info"))
    .action(async (file: string, opts: { json?: boolean; severity: Severity }) => {
      const json = !!opts.json;
      let doc: Topology;
      if (/\.(ya?ml|template)$/i.test(file)) {
        // A SAM/CloudFormation template: import it, then lint what it describes.
        try {
          doc = await importedTopology(file, io, json);
        } catch (e) {
          setExit(reportError(e, io, json));
          return;
        }
      } else {
        let text: string;
        try {
          text = await readInput(file);
        } catch (e) {
          setExit(reportError(e, io, json));
          return;
        }
        if (looksLikeTemplate(text)) {
          try {
            doc = await importedTopology(file, io, json);
          } catch (e) {
            setExit(reportError(e, io, json));
            return;
          }
        } else {
          const result = validateTopologyText(text);
          if (!result.ok) {
            const first = result.problems[0];
            const n = result.problems.length;
            // Rules assume a valid document: report what is wrong with it instead of half-linting it.
            const err = new TopoError(first.code ?? "TOPO-E002", `${file} is not a valid topology (${n} problem${n > 1 ? "s" : ""}); fix it before linting`, {
              fix: "Correct the problems listed; `topo validate` checks the document on its own.",
              details: result.problems,
            });
            reportError(err, io, json);
            setExit(EXIT.badInput);
            return;
          }
          doc = result.topology;
        }
      }
      const findings = lintTopology(doc, { severity: opts.severity });
      if (json) io.out(JSON.stringify(findings, null, 2));
      else printHuman(io, file, doc, findings);
      setExit(findings.some((f) => f.severity === "error") ? EXIT.findings : EXIT.ok);
    });
};

/** JSON with a Resources section and no schemaVersion is a CloudFormation template, not a topology. */
function looksLikeTemplate(text: string): boolean {
  try {
    const v = JSON.parse(text) as unknown;
    return !!v && typeof v === "object" && !Array.isArray(v) && "Resources" in v && !("schemaVersion" in v);
  } catch {
    return false;
  }
}

/** Imports a template for linting; says so on stderr (human mode) so the findings read in context. */
async function importedTopology(file: string, io: Io, json: boolean): Promise<Topology> {
  const { topology, report } = await importTemplateFile(file);
  if (!json) io.err(`${file}: imported as a topology (${report.summary.replace(/^[^:]*: /, "")})`);
  return topology;
}

const HEADINGS: Record<Severity, string> = { error: "Errors", warning: "Warnings", info: "Info" };

/** "1 error", "2 warnings", "3 info" (info has no plural). */
function count(n: number, severity: Severity) {
  return `${n} ${severity}${n === 1 || severity === "info" ? "" : "s"}`;
}

/** Human output: a summary, then one block per severity; each finding names its elements, says what and how to fix. */
function printHuman(io: Io, file: string, doc: Topology, findings: Finding[]) {
  const names = new Map<string, string>();
  for (const c of doc.contexts) names.set(c.id, `context ${c.name}`);
  for (const n of doc.nodes) names.set(n.id, n.name);
  for (const e of doc.edges) names.set(e.id, e.label ?? `${names.get(e.source) ?? e.source} → ${names.get(e.target) ?? e.target}`);
  const counts = SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length] as const);
  if (!findings.length) {
    io.out(`${file}: no findings (${RULES.length} rules checked)`);
    return;
  }
  io.out(`${file}: ${counts.filter(([, n]) => n > 0).map(([s, n]) => count(n, s)).join(", ")}`);
  for (const [severity, n] of counts) {
    if (!n) continue;
    io.out(`\n${HEADINGS[severity]} (${n})`);
    for (const f of findings) {
      if (f.severity !== severity) continue;
      const elements = f.elements.map((id) => `${names.get(id) ?? id} (${id})`).join(", ");
      io.out(`  ${f.ruleId}  ${elements}\n    ${f.message}\n    fix: ${f.fix}\n    docs: ${f.docs}`);
    }
  }
}
