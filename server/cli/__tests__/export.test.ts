import { test, after } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { capture } from "./helpers";
import { ordersTopology } from "../../model/examples/index";
import { parseTemplate } from "../../iac/parse/template";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-export-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

const withError = {
  schemaVersion: 1,
  name: "With error",
  nodes: [
    { id: "jobs", kind: "queue", name: "Jobs" },
    { id: "worker", kind: "function", name: "Worker", timeoutSeconds: 60 },
  ],
  edges: [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker" }],
};

test("topo export --format sam: template.yaml, handler stubs and README; existing code is never overwritten", async () => {
  const out = join(dir, "sam");
  const io = capture();
  assert.equal(await main(["export", write("orders.json", ordersTopology), "--format", "sam", "-o", out], io), 0);
  assert.match(io.stdout.join("\n"), /Orders: wrote template\.yaml \(2 functions, 7 resources, 3 event sources\)/);
  const template = parseTemplate(readFileSync(join(out, "template.yaml"), "utf8")).value as any;
  assert.equal(template.Resources.OrderHandler.Type, "AWS::Serverless::Function");
  assert.ok(existsSync(join(out, "src/orders/handler.mjs")));
  assert.ok(existsSync(join(out, "src/shipping/app.py")));
  writeFileSync(join(out, "src/orders/handler.mjs"), "// mine\n");
  const again = capture();
  assert.equal(await main(["export", join(dir, "orders.json"), "--format", "sam", "-o", out], again), 0);
  assert.match(again.stdout.join("\n"), /kept \d+ existing files .*src\/orders\/handler\.mjs/);
  assert.equal(readFileSync(join(out, "src/orders/handler.mjs"), "utf8"), "// mine\n");
});

test("topo export --format cdk --json: the CDK app and the report", async () => {
  const out = join(dir, "cdk");
  const io = capture();
  assert.equal(await main(["export", join(dir, "orders.json"), "--format", "cdk", "-o", out, "--json"], io), 0);
  const res = JSON.parse(io.stdout.join("\n"));
  assert.equal(res.ok, true);
  assert.equal(res.report.format, "cdk");
  assert.equal(res.report.logicalIds["fn-order-handler"], "OrderHandler");
  for (const f of ["bin/app.ts", "lib/orders-construct.ts", "lib/shipping-construct.ts", "package.json", "cdk.json", "tsconfig.json"]) assert.ok(existsSync(join(out, f)), f);
});

test("topo export refuses error-severity findings (exit 1, says which); --force exports", async () => {
  const io = capture();
  const file = write("bad.json", withError);
  assert.equal(await main(["export", file, "--format", "sam", "-o", join(dir, "bad")], io), 1);
  const err = io.stderr.join("\n");
  assert.match(err, /TOPO-E065: With error has 1 error-severity finding; not exported/);
  assert.match(err, /sqs-visibility-timeout/);
  assert.match(err, /--force/);
  assert.equal(existsSync(join(dir, "bad")), false);
  const forced = capture();
  assert.equal(await main(["export", file, "--format", "sam", "-o", join(dir, "bad"), "--force"], forced), 0);
  assert.match(forced.stdout.join("\n"), /exported despite 1 design error \(--force\):\n {2}sqs-visibility-timeout/);
});

test("topo export: a SAM template as input is imported first (SAM → CDK)", async () => {
  const tpl = write("template.yaml", "Resources:\n  Jobs:\n    Type: AWS::SQS::Queue\n");
  const io = capture();
  assert.equal(await main(["export", tpl, "--format", "cdk", "-o", join(dir, "from-sam")], io), 0);
  assert.match(readFileSync(join(dir, "from-sam", "lib", "imported-template-construct.ts"), "utf8"), /new sqs\.Queue\(this, "Jobs"/);
});

test("topo export: usage and input errors exit 2", async () => {
  const noFormat = capture();
  assert.equal(await main(["export", join(dir, "orders.json"), "-o", join(dir, "x")], noFormat), 2);
  assert.match(noFormat.stderr.join("\n"), /TOPO-E030/);
  const badFormat = capture();
  assert.equal(await main(["export", join(dir, "orders.json"), "--format", "terraform", "-o", join(dir, "x")], badFormat), 2);
  const invalid = capture();
  assert.equal(await main(["export", write("invalid.json", "{ nope"), "--format", "sam", "-o", join(dir, "x")], invalid), 2);
  assert.match(invalid.stderr.join("\n"), /TOPO-E001/);
  const schema = capture();
  assert.equal(await main(["export", write("schema.json", { schemaVersion: 1, name: "x", nodes: [{ id: "a", kind: "nope" }] }), "--format", "sam", "-o", join(dir, "x")], schema), 2);
  assert.match(schema.stderr.join("\n"), /TOPO-E002/);
});
