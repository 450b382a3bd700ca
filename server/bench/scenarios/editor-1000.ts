/**
 * `editor-1000`: the Design canvas in headless Chromium on the generated 1,000-function topology
 * (1,300 nodes, 1,500 edges, 30 contexts), laid out by the canvas's own layout, against plain
 * React Flow (app/bench/baseline): open, drag and pan at zoom 1 and at fit. See
 * server/bench/browser/canvas-bench.ts for the metrics. Goals (issue 3): z1 open ≤ 1,200 ms,
 * drag p95 ≤ 20 ms and p50 ≤ 16.7 ms, pan p95 ≤ 25 ms; fit drag and pan ≤ 33 ms per update.
 */
import { SCALE_1000 } from "../../model/generate";
import { runEditorBench } from "../browser/canvas-bench";

export function run() {
  return runEditorBench("editor-1000", SCALE_1000);
}
