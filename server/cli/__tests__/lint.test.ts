import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { capture } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "topo-lint-"));
after(() => rmSync(dir, { recursive: true, force: true }));


function write(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

/** A queue consumed by a 60 s function: an error (visibility timeout) plus warnings (no DLQ, no partial batch). */
const withError = {
  schemaVersion: 1,
  name: "With error",
  nodes: [
    { id: "jobs", kind: "queue", name: "Jobs" },
    { id: "worker", kind: "function", name: "Worker", timeoutSeconds: 60 },
  ],
  edges: [{ id: "jobs-worker", kind: "trigger", source: "jobs", target: "worker" }],
};

/** Only a warning: a function nothing invokes. */
const warningOnly = { schemaVersion: 1, name: "Warning only", nodes: [{ id: "idle", kind: "function", name: "Idle" }] };

test("topo lint: error-severity findings exit 1; human output groups by severity with names, message, fix", async () => {
  const io = capture();
  const code = await main(["lint", write("error.json", withError)], io);
  assert.equal(code, 1);
  const text = io.stdout.join("\n");
  assert.match(text, /1 error, 2 warnings/);
  assert.ok(text.indexOf("Errors (1)") < text.indexOf("Warnings (2)"));
  assert.match(text, /sqs-visibility-timeout {2}Jobs \(jobs\), Jobs → Worker \(jobs-worker\), Worker \(worker\)/);
  assert.match(text, /fix: Raise the visibility timeout of "Jobs" to at least 360 s/);
  assert.match(text, /docs: docs\/rules\/sqs-visibility-timeout\.md/);
});

test("topo lint --json prints an array of findings", async () => {
  const io = capture();
  const code = await main(["lint", write("error2.json", withError), "--json"], io);
  assert.equal(code, 1);
  const findings = JSON.parse(io.stdout.join("\n"));
  assert.ok(Array.isArray(findings));
  assert.deepEqual(Object.keys(findings[0]).sort(), ["docs", "elements", "fix", "message", "ruleId", "severity"]);
  assert.equal(findings[0].ruleId, "sqs-visibility-timeout");
});

test("topo lint --severity error hides warnings; warnings alone exit 0", async () => {
  const io = capture();
  assert.equal(await main(["lint", write("warn.json", warningOnly), "--json", "--severity", "error"], io), 0);
  assert.deepEqual(JSON.parse(io.stdout.join("\n")), []);
  const human = capture();
  assert.equal(await main(["lint", write("warn2.json", warningOnly)], human), 0);
  assert.match(human.stdout.join("\n"), /Warnings \(1\)[\s\S]*orphan-node {2}Idle \(idle\)/);
});

test("topo lint: a clean document says so and exits 0", async () => {
  const io = capture();
  assert.equal(await main(["lint", write("empty.json", { schemaVersion: 1, name: "Empty" })], io), 0);
  assert.match(io.stdout.join("\n"), /no findings \(\d+ rules checked\)/);
});

test("topo lint: an invalid document prints its problems and exits 2", async () => {
  const io = capture();
  const bad = { ...withError, edges: [{ id: "e", kind: "trigger", source: "jobs", target: "missing" }] };
  assert.equal(await main(["lint", write("bad.json", bad)], io), 2);
  const err = io.stderr.join("\n");
  assert.match(err, /not a valid topology/);
  assert.match(err, /TOPO-E011/);

  const json = capture();
  assert.equal(await main(["lint", write("notjson.json", "{ nope"), "--json"], json), 2);
  assert.equal(JSON.parse(json.stdout.join("\n")).error.code, "TOPO-E001");
});

test("topo lint: a missing file, a SAM template and a bad --severity exit 2", async () => {
  const missing = capture();
  assert.equal(await main(["lint", join(dir, "nope.json")], missing), 2);
  assert.match(missing.stderr.join("\n"), /TOPO-E031/);

  const sam = capture();
  assert.equal(await main(["lint", write("template.yaml", "AWSTemplateFormatVersion: '2010-09-09'\n")], sam), 2);
  // A SAM template is imported first; this one has no Resources, so there is nothing to lint.
  assert.match(sam.stderr.join("\n"), /TOPO-E061/);

  const usage = capture();
  assert.equal(await main(["lint", write("ok.json", warningOnly), "--severity", "fatal"], usage), 2);
  assert.match(usage.stderr.join("\n"), /TOPO-E030/);
});
