import type { RegisterCommand } from "./index";
import { EXIT, formatProblems, readInput, reportError } from "../io";
import { validateTopologyText } from "../../model/validate";

/** `topo validate <file>`: schema and reference integrity of a topology document. */
export const registerValidate: RegisterCommand = (program, io, setExit) => {
  program
    .command("validate")
    .description("check a topology document against the schema and its references")
    .argument("<topology.json>", "topology document")
    .option("--json", "machine-readable output")
    .action(async (file: string, opts: { json?: boolean }) => {
      let text: string;
      try {
        text = await readInput(file);
      } catch (e) {
        setExit(reportError(e, io, !!opts.json));
        return;
      }
      const result = validateTopologyText(text);
      if (opts.json) io.out(JSON.stringify({ ok: result.ok, problems: result.problems }));
      else if (result.ok) {
        const t = result.topology;
        io.out(`${file}: valid (${t.contexts.length} contexts, ${t.nodes.length} nodes, ${t.edges.length} edges)`);
      } else {
        io.err(`${file}: ${result.problems.length} problem${result.problems.length > 1 ? "s" : ""}`);
        io.err(formatProblems(result.problems));
      }
      // A document that is not JSON or not a topology at all is bad input; a topology with broken references is a finding.
      const structural = result.problems.some((p) => p.code === "TOPO-E001" || p.code === "TOPO-E002" || p.code === "TOPO-E003");
      setExit(result.ok ? EXIT.ok : structural ? EXIT.badInput : EXIT.findings);
    });
};
