/** `rules-1000`: every design rule on the generated 1,000-function topology; median of 20 runs (goal ≤ 50 ms, issue 4). */
import { generateTopology, SCALE_1000 } from "../../model/generate";
import { RULES, lintTopology } from "../../rules/index";
import { measure } from "../measure";

export async function run() {
  const doc = generateTopology(SCALE_1000);
  let findings = 0;
  const stats = measure(20, () => {
    findings = lintTopology(doc).length;
  });
  return { lintMs: stats.median, lintP95Ms: stats.p95, runs: stats.runs, rules: RULES.length, nodes: doc.nodes.length, edges: doc.edges.length, findings };
}
