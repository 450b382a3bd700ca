/**
 * Golden fixtures, one directory per case under golden/:
 * - an example slug (orders, chocolate-box, kafka-consumers) or a case with `input.json` (a
 *   topology): the expected `template.yaml` and `cdk/**` (the CDK app without handler code);
 * - a case with `input.yaml` (a template): the expected `topology.json` of its import and the
 *   `template.yaml` it exports back to.
 * `UPDATE_GOLDEN=1` rewrites the expected files instead of comparing.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { EXAMPLES } from "../../model/examples/index";
import { exportCdk, exportSam } from "../export";
import { importSam } from "../import/sam";
import { templateText } from "./helpers";

const GOLDEN = join(import.meta.dirname, "golden");
const UPDATE = process.env.UPDATE_GOLDEN === "1";

function expectFile(path: string, actual: string) {
  if (UPDATE) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  assert.ok(existsSync(path), `missing golden file ${path} (run with UPDATE_GOLDEN=1)`);
  assert.equal(actual, readFileSync(path, "utf8"), `${path} differs (run with UPDATE_GOLDEN=1 if the change is intended)`);
}

function listFiles(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
}

function expectExport(dir: string, topology: unknown) {
  expectFile(join(dir, "template.yaml"), templateText(exportSam(topology).files));
  const cdk = exportCdk(topology).files.filter((f) => !f.path.startsWith("src/"));
  const cdkDir = join(dir, "cdk");
  if (UPDATE) rmSync(cdkDir, { recursive: true, force: true });
  for (const f of cdk) expectFile(join(cdkDir, f.path), f.content);
  if (!UPDATE) assert.deepEqual(listFiles(cdkDir).sort(), cdk.map((f) => f.path).sort(), "no stale or missing CDK files");
}

for (const { slug, topology } of EXAMPLES) {
  test(`golden: example ${slug} → template.yaml and CDK app`, () => expectExport(join(GOLDEN, slug), topology));
}

for (const name of readdirSync(GOLDEN).sort()) {
  const dir = join(GOLDEN, name);
  if (existsSync(join(dir, "input.json"))) {
    test(`golden: ${name} (topology) → template.yaml and CDK app`, () => expectExport(dir, JSON.parse(readFileSync(join(dir, "input.json"), "utf8"))));
  } else if (existsSync(join(dir, "input.yaml"))) {
    test(`golden: ${name} (template) → topology.json and the template it exports back to`, () => {
      const { topology } = importSam(readFileSync(join(dir, "input.yaml"), "utf8"), { fileName: "input.yaml", name });
      expectFile(join(dir, "topology.json"), JSON.stringify(topology, null, 2) + "\n");
      expectFile(join(dir, "template.yaml"), templateText(exportSam(topology, { force: true, handlers: false }).files));
    });
  }
}
