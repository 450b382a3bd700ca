/**
 * `editor-5000`: as `editor-1000` on the 5,000-function topology (6,500 nodes, 7,500 edges,
 * 150 contexts). Goals (issue 3): z1 open ≤ 1,500 ms and pan p95 ≤ 33 ms; fit pan ≤ 50 ms per update.
 */
import { SCALE_5000 } from "../../model/generate";
import { runEditorBench } from "../browser/canvas-bench";

export function run() {
  return runEditorBench("editor-5000", SCALE_5000);
}
