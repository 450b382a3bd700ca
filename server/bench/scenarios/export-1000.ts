/** `export-1000`: SAM export (samMs, goal ≤ 200 ms, issue 5) and CDK app generation, not synthesis (cdkMs), of the 1,000-function topology; median of 10. */
import { generateTopology, SCALE_1000 } from "../../model/generate";
import { exportCdk, exportSam } from "../../iac/export";
import { measure } from "../measure";

export async function run() {
  const doc = generateTopology(SCALE_1000);
  let samBytes = 0;
  let cdkFiles = 0;
  const sam = measure(10, () => {
    samBytes = exportSam(doc, { force: true }).files.find((f) => f.path === "template.yaml")!.content.length;
  });
  const cdk = measure(10, () => {
    cdkFiles = exportCdk(doc, { force: true }).files.length;
  });
  return { samMs: sam.median, samP95Ms: sam.p95, cdkMs: cdk.median, cdkP95Ms: cdk.p95, runs: sam.runs, functions: 1000, templateKb: Math.round(samBytes / 1024), cdkFiles };
}
