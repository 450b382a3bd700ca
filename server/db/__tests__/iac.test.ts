import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { strFromU8, unzipSync } from "fflate";
import { TopoError } from "../../errors";
import { ordersTopology } from "../../model/examples/orders";
import type { Db } from "../client";
import { exportProjectArchive, importProjectFromTemplate } from "../iac";
import { createProject, getRevisionOrThrow, listProjects } from "../projects";
import { testDatabases } from "./databases";

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 180
  Worker:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Timeout: 30
      Events:
        FromJobs:
          Type: SQS
          Properties:
            Queue: !GetAtt Jobs.Arn
            BatchSize: 5
`;

const [sqlite] = testDatabases();

describe("export and import through projects", () => {
  let db: Db;
  let close: () => Promise<void>;
  before(async () => {
    ({ db, close } = await sqlite.open());
  });
  after(async () => close?.());

  test("a project's latest revision exports as a zip of the SAM template and handlers, or of the CDK app", async () => {
    const p = await createProject(db, { name: "Orders export", document: { ...ordersTopology, name: "Orders export" } });
    const sam = await exportProjectArchive(db, p.id, { format: "sam" });
    assert.match(sam.fileName, /^orders-export-sam-r1\.zip$/);
    const files = unzipSync(sam.zip);
    const template = strFromU8(files["orders-export-sam/template.yaml"]);
    assert.match(template, /Transform: AWS::Serverless-2016-10-31/);
    assert.match(template, /AWS::Composer::Groups/);
    assert.ok(Object.keys(files).some((f) => f.startsWith("orders-export-sam/") && /\.(mjs|js|py)$/.test(f)), "handler files are included");
    const cdk = unzipSync((await exportProjectArchive(db, p.id, { format: "cdk" })).zip);
    assert.ok(cdk["orders-export-cdk/bin/app.ts"], "the CDK app has its entry point");
    assert.ok(cdk["orders-export-cdk/package.json"]);
  });

  test("export refuses a design with error findings unless forced, and says which", async () => {
    const bad = { schemaVersion: 1, name: "Too slow", nodes: [{ id: "fn-slow", kind: "function", name: "Slow", timeoutSeconds: 1200 }] };
    const p = await createProject(db, { name: "Too slow", document: bad });
    await assert.rejects(exportProjectArchive(db, p.id, { format: "sam" }), (e: unknown) => {
      assert.ok(e instanceof TopoError);
      assert.equal(e.code, "TOPO-E065");
      assert.match(e.message + JSON.stringify(e.details ?? []), /function-timeout-range/);
      return true;
    });
    const forced = await exportProjectArchive(db, p.id, { format: "sam", force: true });
    assert.ok(forced.zip.length > 0);
    await assert.rejects(exportProjectArchive(db, p.id, { format: "terraform" }), /unknown export format/);
  });

  test("importing a template creates a project with its topology and returns the report", async () => {
    const { project, report } = await importProjectFromTemplate(db, { template: TEMPLATE, fileName: "jobs.yaml", name: "Jobs" });
    assert.equal(project.name, "Jobs");
    const rev = await getRevisionOrThrow(db, project.id, "latest");
    const kinds = rev.document.nodes.map((n) => n.kind).sort();
    assert.deepEqual(kinds, ["function", "queue"]);
    const trigger = rev.document.edges.find((e) => e.kind === "trigger");
    assert.equal(trigger?.kind === "trigger" ? trigger.batchSize : undefined, 5);
    assert.equal(report.dialect, "sam");
    // The parameter we do not model is kept for the next export.
    assert.ok(JSON.stringify(rev.document.iac ?? {}).includes("Stage"));
  });

  test("a template that is not YAML is refused with a code and no project is written", async () => {
    const before = (await listProjects(db)).length;
    await assert.rejects(importProjectFromTemplate(db, { template: "Resources: [unclosed", fileName: "bad.yaml", name: "Bad" }), (e: unknown) => {
      assert.ok(e instanceof TopoError);
      assert.equal(e.code, "TOPO-E060");
      return true;
    });
    await assert.rejects(importProjectFromTemplate(db, { template: "" }), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E023");
    assert.equal((await listProjects(db)).length, before);
  });
});
