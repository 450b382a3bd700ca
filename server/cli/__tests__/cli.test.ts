import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../main";
import { capture } from "./helpers";


const dir = mkdtempSync(join(process.env.TOPO_TEST_TMP || tmpdir(), "topo-cli-"));
const file = (name: string, content: string) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

test("topo schema prints the JSON Schema generated from the model", async () => {
  const io = capture();
  assert.equal(await main(["schema"], io), 0);
  const schema = JSON.parse(io.stdout.join(""));
  assert.equal(schema.type, "object");
  const kinds = JSON.stringify(schema);
  for (const k of ["function", "kafka-topic", "consumer-lag", "event-bus"]) assert.ok(kinds.includes(`"${k}"`), k);
});

test("topo validate: 0 for a valid document, 1 for broken references, 2 for bad input", async () => {
  const ok = capture();
  assert.equal(await main(["validate", file("ok.json", JSON.stringify({ schemaVersion: 1, name: "ok" }))], ok), 0);
  assert.match(ok.stdout.join(""), /valid/);

  const refs = capture();
  const broken = { schemaVersion: 1, name: "b", nodes: [{ id: "fn-a", kind: "function", name: "A", contextId: "ctx-missing" }] };
  assert.equal(await main(["validate", file("refs.json", JSON.stringify(broken))], refs), 1);
  assert.match(refs.stderr.join("\n"), /TOPO-E012/);

  const json = capture();
  assert.equal(await main(["validate", "--json", file("refs2.json", JSON.stringify(broken))], json), 1);
  assert.equal(JSON.parse(json.stdout.join("")).problems[0].code, "TOPO-E012");

  const notJson = capture();
  assert.equal(await main(["validate", file("bad.json", "{nope")], notJson), 2);
  assert.match(notJson.stderr.join("\n"), /TOPO-E001/);

  const missing = capture();
  assert.equal(await main(["validate", join(dir, "missing.json")], missing), 2);
  assert.match(missing.stderr.join("\n"), /TOPO-E031.*no such file/);
});

test("usage errors exit 2 with a code and a fix", async () => {
  const io = capture();
  assert.equal(await main(["frobnicate"], io), 2);
  assert.match(io.stderr.join("\n"), /TOPO-E030: unknown command 'frobnicate'/);
  assert.match(io.stderr.join("\n"), /fix:/);
  const noArg = capture();
  assert.equal(await main(["validate"], noArg), 2);
});
