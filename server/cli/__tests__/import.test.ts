import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { capture } from "./helpers";
import { validateTopology } from "../../model/validate";

const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-import-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String }
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Runtime: python3.12
      Timeout: 60
      Events:
        Jobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
  Dashboard:
    Type: AWS::CloudWatch::Dashboard
    Properties: { DashboardBody: "{}" }
`;

test("topo import: prints the report with line numbers and writes a valid topology with -o", async () => {
  const io = capture();
  const out = join(dir, "topology.json");
  assert.equal(await main(["import", write("template.yaml", TEMPLATE), "-o", out, "--name", "Jobs"], io), 0);
  const text = io.stdout.join("\n");
  assert.match(text, /template\.yaml: 2 of 3 resources modelled as 2 nodes and 1 edges in 1 context; 1 kept verbatim; kept verbatim: 1 parameters/);
  assert.match(text, /Understood \(3\)/);
  assert.match(text, /line 6 +Jobs: AWS::SQS::Queue → queue/);
  assert.match(text, /line 18 +Worker: SQS event "Jobs" → trigger from Jobs/);
  assert.match(text, /Kept verbatim \(1\)\n +line 22 +Dashboard: AWS::CloudWatch::Dashboard is not modelled; kept verbatim/);
  assert.match(text, /wrote .*topology\.json/);
  const doc = JSON.parse(readFileSync(out, "utf8"));
  assert.equal(doc.name, "Jobs");
  assert.equal(validateTopology(doc).ok, true);
});

test("topo import --json: the report and the topology", async () => {
  const io = capture();
  assert.equal(await main(["import", write("t2.yaml", TEMPLATE), "--json"], io), 0);
  const { report, topology } = JSON.parse(io.stdout.join("\n"));
  assert.equal(report.counts.modelled, 2);
  assert.equal(report.opaque[0].logicalId, "Dashboard");
  assert.equal(topology.nodes.length, 2);
});

test("topo import: nothing modelled is a clear notice (TOPO-E064), exit 0", async () => {
  const io = capture();
  assert.equal(await main(["import", write("iam.yaml", "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties: { AssumeRolePolicyDocument: {} }\n")], io), 0);
  assert.match(io.stdout.join("\n"), /^TOPO-E064: nothing in iam\.yaml is modelled/);
});

test("topo import: bad input exits 2 with code, line and fix", async () => {
  const cases: [string, string | Uint8Array, RegExp][] = [
    ["broken.yaml", "Resources:\n  A: [\n", /TOPO-E060: broken\.yaml is not valid YAML \(line \d\)/],
    ["notcfn.yaml", "hello: world\n", /TOPO-E061/],
    ["binary.yaml", new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]), /TOPO-E063/],
    ["bomb.yaml", `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nResources: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n`, /TOPO-E062/],
  ];
  for (const [name, content, re] of cases) {
    const io = capture();
    assert.equal(await main(["import", write(name, content)], io), 2, name);
    assert.match(io.stderr.join("\n"), re, name);
    assert.match(io.stderr.join("\n"), /fix: /, name);
  }
  const missing = capture();
  assert.equal(await main(["import", join(dir, "nope.yaml")], missing), 2);
  assert.match(missing.stderr.join("\n"), /TOPO-E031/);
  const json = capture();
  assert.equal(await main(["import", write("broken2.yaml", "Resources: [\n"), "--json"], json), 2);
  assert.equal(JSON.parse(json.stdout.join("\n")).error.code, "TOPO-E060");
});

test("topo lint: a SAM template is imported, then linted", async () => {
  const io = capture();
  // Worker's timeout (60 s) is above the queue's visibility timeout (60 s) / 6: an error finding.
  assert.equal(await main(["lint", write("lint.yaml", TEMPLATE)], io), 1);
  assert.match(io.stderr.join("\n"), /lint\.yaml: imported as a topology/);
  assert.match(io.stdout.join("\n"), /sqs-visibility-timeout/);
  const json = capture();
  assert.equal(await main(["lint", write("lint2.yaml", TEMPLATE), "--json"], json), 1);
  assert.ok(JSON.parse(json.stdout.join("\n")).some((f: { ruleId: string }) => f.ruleId === "sqs-visibility-timeout"));
  const jsonTemplate = capture();
  assert.equal(await main(["lint", write("t.json", JSON.stringify({ Resources: { Q: { Type: "AWS::SQS::Queue" } } }))], jsonTemplate), 0);
  const notCfn = capture();
  assert.equal(await main(["lint", write("nothing.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n")], notCfn), 2);
  assert.match(notCfn.stderr.join("\n"), /TOPO-E061/);
});
