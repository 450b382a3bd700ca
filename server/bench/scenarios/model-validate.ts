/** `model-validate`: validate the generated 1,000-function topology; median of 20 runs. */
import { generateTopology, SCALE_1000 } from "../../model/generate";
import { validateTopology } from "../../model/validate";
import { measure } from "../measure";

export async function run() {
  const doc = JSON.parse(JSON.stringify(generateTopology(SCALE_1000)));
  const stats = measure(20, () => {
    const r = validateTopology(doc);
    if (!r.ok) throw new Error(`generated topology is invalid: ${r.problems[0].message}`);
  });
  return { validateMs: stats.median, validateP95Ms: stats.p95, runs: stats.runs, nodes: doc.nodes.length, edges: doc.edges.length };
}
