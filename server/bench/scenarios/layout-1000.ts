/**
 * `layout-1000`: the canvas's automatic layout (`layoutTopology` in components/design/layout.ts:
 * ELK layered for small documents, the canvas's own layered layout above 300 nodes, contexts kept
 * together) on the generated 1,000-function topology, in node; median of 5 runs after one warm-up
 * run (goal ≤ 500 ms).
 */
import { layoutTopology } from "../../../components/design/layout";
import { generateTopology, SCALE_1000 } from "../../model/generate";
import { summarize } from "../measure";

export async function run() {
  const doc = generateTopology(SCALE_1000);
  const t0 = performance.now();
  const first = await layoutTopology(doc);
  const coldMs = performance.now() - t0;
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    await layoutTopology(doc);
    samples.push(performance.now() - t);
  }
  const stats = summarize(samples);
  const placed = first.nodes.filter((n) => n.position).length;
  return {
    layoutMs: stats.median,
    layoutP95Ms: stats.p95,
    minMs: stats.min,
    maxMs: stats.max,
    runs: stats.runs,
    coldMs: Math.round(coldMs),
    nodes: doc.nodes.length,
    edges: doc.edges.length,
    contexts: doc.contexts.length,
    placed,
  };
}
