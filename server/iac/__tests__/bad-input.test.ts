/**
 * Bad input to the SAM importer (issue 8, "Bad input"): every hostile or mistaken upload is a
 * TopoError with a code, a message naming the problem and a fix, refused fast, or imports with a
 * clear report. The time guards are generous (CI machines are slow); the real figures are in
 * `npm run fuzz` and the iac-corpus bench. What is written to the database is checked by
 * server/api/__tests__/bad-input.test.ts.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { deflateSync } from "node:zlib";
import { ERRORS, isTopoError, type ErrorCode } from "../../errors";
import { importSam, parseTemplate, PARSE_LIMITS } from "../index";
import { validateTopology } from "../../model/validate";

/** Runs `fn`, expects a TopoError with `code`, a message matching `message` and the catalog's fix; returns its time. */
function refused(fn: () => unknown, code: ErrorCode, message: RegExp, limitMs = 2_000): number {
  const t0 = performance.now();
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  const ms = performance.now() - t0;
  assert.ok(isTopoError(err), `expected a TopoError ${code}, got ${err === undefined ? "no error" : String(err)}`);
  assert.equal(err.code, code, err.message);
  assert.match(err.message, message);
  assert.ok(err.fix.length > 20, "a fix says what to do");
  assert.equal(err.status, ERRORS[code].status);
  assert.ok(!/\n\s+at /.test(err.message), "no stack trace in the message");
  assert.ok(ms < limitMs, `refused in ${ms.toFixed(0)} ms; must be fast`);
  return ms;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const queue = "Resources:\n  Orders:\n    Type: AWS::SQS::Queue\n";

test("bad input: a template over 5 MB is refused before parsing (TOPO-E062, 413)", () => {
  const big = `${queue}# ${"x".repeat(PARSE_LIMITS.maxBytes)}\n`;
  refused(() => importSam(big, { fileName: "big.yaml" }), "TOPO-E062", /big\.yaml is \d+ characters; the limit is 5242880/, 500);
  refused(() => importSam(utf8(big), { fileName: "big.yaml" }), "TOPO-E062", /big\.yaml is \d+ bytes; the limit is 5242880/, 500);
  // Exactly at the limit is still read.
  const atLimit = queue + "#".repeat(PARSE_LIMITS.maxBytes - queue.length);
  assert.equal(parseTemplate(atLimit).format, "yaml");
});

test("bad input: YAML alias bombs (billion laughs) are refused fast (TOPO-E062)", () => {
  // The classic: 9 levels of 10 references each would expand to 10^9 strings.
  const lol = ['lol0: &lol0 "lol"'];
  for (let i = 1; i <= 9; i++) lol.push(`lol${i}: &lol${i} [${Array(10).fill(`*lol${i - 1}`).join(", ")}]`);
  refused(() => importSam(`${lol.join("\n")}\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: { Tags: *lol9 }\n`), "TOPO-E062", /more than 100 YAML aliases|expands to more than/);
  // Few aliases, each a huge anchor: bounded by the expanded-node count.
  const wide = `big: &big [${Array(30_000).fill("1").join(",")}]\nResources:\n  Q: { Type: AWS::SQS::Queue, Properties: { A: [${Array(90).fill("*big").join(",")}] } }\n`;
  refused(() => importSam(wide), "TOPO-E062", /expands to more than 2000000 values/, 5_000);
  // Aliases in keys, and a merge-key bomb, are bounded the same way.
  const keys = ['k0: &k0 "a"', ...Array.from({ length: 120 }, (_, i) => `x${i}: { *k0 : 1 }`), "Resources: {}"].join("\n");
  refused(() => importSam(keys), "TOPO-E062", /more than 100 YAML aliases/);
  const merge = ['m0: &m0 { a: 1 }', ...Array.from({ length: 8 }, (_, i) => `m${i + 1}: &m${i + 1} { <<: [${Array(10).fill(`*m${i}`).join(", ")}] }`), "Resources: *m8"].join("\n");
  refused(() => importSam(merge), "TOPO-E062", /aliases|expands/);
});

test("bad input: deep nesting, block and flow, YAML and JSON, is refused fast (TOPO-E062)", () => {
  refused(() => importSam(`Resources: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`), "TOPO-E062", /nested (more than 128 levels deep|too deeply)/);
  refused(() => importSam(`Resources: ${"{a: ".repeat(5_000)}1${"}".repeat(5_000)}\n`), "TOPO-E062", /nested (more than 128 levels deep|too deeply)/);
  const block = ["Resources:"];
  for (let i = 1; i <= 400; i++) block.push(`${" ".repeat(i)}k${i}:`);
  refused(() => importSam(`${block.join("\n")} 1\n`), "TOPO-E062", /nested more than 128 levels deep/);
  refused(() => importSam(`{"Resources": ${'{"a":'.repeat(50_000)}1${"}".repeat(50_000)}}`), "TOPO-E062", /nested more than 128 levels deep/);
  refused(() => importSam(`{"Resources": {"Q": ${"[".repeat(50_000)}${"]".repeat(50_000)}}}`), "TOPO-E062", /nested more than 128 levels deep/);
});

test("bad input: invalid UTF-8, and text decoded leniently (U+FFFD holes), are TOPO-E063 (415)", () => {
  // "café" in Latin-1: 0xE9 alone is not UTF-8.
  refused(() => importSam(new Uint8Array([...utf8("Description: caf"), 0xe9, ...utf8(`\n${queue}`)]), { fileName: "latin1.yaml" }), "TOPO-E063", /latin1\.yaml is not valid UTF-8/);
  // The same file read by a browser's File.text() arrives as a string with U+FFFD where 0xE9 was.
  refused(() => importSam(`Description: caf\ufffd\n${queue}`, { fileName: "latin1.yaml" }), "TOPO-E063", /line 1 has a byte sequence that is not UTF-8/);
  // Overlong encoding and a lone surrogate encoded as UTF-8 (CESU) are invalid too.
  refused(() => importSam(new Uint8Array([...utf8("Description: "), 0xc0, 0xaf, 0x0a])), "TOPO-E063", /not valid UTF-8/);
  refused(() => importSam(new Uint8Array([...utf8("Description: "), 0xed, 0xa0, 0x80, 0x0a])), "TOPO-E063", /not valid UTF-8/);
});

test("bad input: binary files (zip, PNG, gzip, PDF) are TOPO-E063, as bytes and as text", () => {
  const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, ...deflateSync(utf8(queue))]);
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01]);
  const gzip = new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, ...deflateSync(utf8(queue))]);
  const pdf = new Uint8Array([...utf8("%PDF-1.7\n%"), 0xe2, 0xe3, 0xcf, 0xd3, 0x0a, ...utf8("1 0 obj\n<< /Type /Catalog >>\nstream\n"), 0x00, 0x01, 0x02]);
  for (const [name, bytes] of [["template.zip", zip], ["diagram.png", png], ["template.yaml.gz", gzip], ["doc.pdf", pdf]] as const) {
    refused(() => importSam(bytes, { fileName: name }), "TOPO-E063", new RegExp(`${name.replace(/\./g, "\\.")} (is not valid UTF-8|contains binary data)`));
    // What a browser's File.text() would send for the same file.
    const lenient = new TextDecoder("utf-8").decode(bytes);
    refused(() => importSam(lenient, { fileName: name }), "TOPO-E063", /binary data|not valid UTF-8/);
  }
});

test("bad input: UTF-16 (with or without a byte-order mark) is TOPO-E063 naming the encoding", () => {
  const le = (s: string, bom: boolean) => {
    const b = Buffer.from(s, "utf16le");
    return new Uint8Array(bom ? [0xff, 0xfe, ...b] : b);
  };
  const be = (s: string) => {
    const b = Buffer.from(s, "utf16le");
    b.swap16();
    return new Uint8Array([0xfe, 0xff, ...b]);
  };
  refused(() => importSam(le(queue, true), { fileName: "w.yaml" }), "TOPO-E063", /w\.yaml is UTF-16 text; templates are UTF-8/);
  refused(() => importSam(be(queue), { fileName: "w.yaml" }), "TOPO-E063", /UTF-16 text/);
  refused(() => importSam(le(queue, false), { fileName: "w.yaml" }), "TOPO-E063", /binary data \(control character U\+0000 on line 1\)/);
  refused(() => importSam(new TextDecoder().decode(le(queue, true)), { fileName: "w.yaml" }), "TOPO-E063", /binary data|not valid UTF-8/);
});

test("bad input: JSON where YAML was expected imports (JSON is YAML), in either spelling", () => {
  const doc = { AWSTemplateFormatVersion: "2010-09-09", Transform: "AWS::Serverless-2016-10-31", Resources: { Orders: { Type: "AWS::SQS::Queue" }, Fn: { Type: "AWS::Serverless::Function", Properties: { Runtime: "nodejs22.x", Handler: "index.handler", Events: { Q: { Type: "SQS", Properties: { Queue: { "Fn::GetAtt": ["Orders", "Arn"] }, BatchSize: 5 } } } } } } };
  for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), `\ufeff  ${JSON.stringify(doc)}`]) {
    const { topology, report } = importSam(text, { fileName: "template.yaml" });
    assert.equal(report.format, "json");
    assert.deepEqual(topology.nodes.map((n) => n.kind).sort(), ["function", "queue"]);
    assert.equal(topology.edges.length, 1);
    assert.equal(validateTopology(topology).ok, true);
  }
  // JSON-flavoured YAML (flow style with YAML's extras) is YAML.
  assert.equal(importSam(`{Resources: {Orders: {Type: AWS::SQS::Queue}}, # comment\n}`).topology.nodes.length, 1);
  // A trailing comma is not JSON but is YAML (flow style), as in SAM CLI, which falls back to YAML.
  assert.equal(importSam('{\n  "Resources": {\n    "Q": { "Type": "AWS::SQS::Queue", }\n  }\n}').topology.nodes.length, 1);
  // Broken JSON (not YAML either) says it is JSON and where.
  refused(() => importSam('{\n  "Resources": {\n    "Q": { "Type": "AWS::SQS::Queue" }\n  \n', { fileName: "t.json" }), "TOPO-E060", /t\.json is not valid JSON \(line \d\)/);
});

test("bad input: CloudFormation that is not SAM imports what is modelled and says why the rest is not", () => {
  const cfn = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Orders: { Type: AWS::SQS::Queue }
  Handler:
    Type: AWS::Lambda::Function
    Properties: { Runtime: nodejs22.x, Handler: index.handler, Role: arn:aws:iam::123456789012:role/r, Code: { ZipFile: "exports.handler = async () => {}" } }
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties: { EventSourceArn: !GetAtt Orders.Arn, FunctionName: !Ref Handler, BatchSize: 10 }
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
`;
  const { topology, report } = importSam(cfn, { fileName: "cfn.yaml" });
  assert.equal(report.dialect, "cloudformation");
  assert.deepEqual(topology.nodes.map((n) => n.kind).sort(), ["function", "queue"]);
  assert.deepEqual(topology.edges.map((e) => e.kind), ["trigger"]);
  assert.ok(report.opaque.some((e) => e.logicalId === "Vpc" && /AWS::EC2::VPC is not modelled/.test(e.message)), JSON.stringify(report.opaque));
  // Not a template at all: a Kubernetes manifest, a package.json, an OpenAPI document.
  refused(() => importSam("apiVersion: v1\nkind: Pod\nmetadata: { name: x }\n", { fileName: "pod.yaml" }), "TOPO-E061", /pod\.yaml is not a CloudFormation or SAM template: it has none of the template sections \(found "apiVersion", "kind", "metadata"\)/);
  refused(() => importSam('{"name": "x", "version": "1.0.0"}', { fileName: "package.json" }), "TOPO-E061", /package\.json is not a CloudFormation or SAM template/);
  refused(() => importSam("openapi: 3.0.0\ninfo: { title: x }\npaths: {}\n"), "TOPO-E061", /none of the template sections/);
  refused(() => importSam("Description: only a description\n"), "TOPO-E061", /no Resources section/);
});

test("bad input: a SAM template with nothing modelled is a TOPO-E064 report, not an error", () => {
  const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Pool: { Type: AWS::Cognito::UserPool }
  Role: { Type: AWS::IAM::Role, Properties: { AssumeRolePolicyDocument: {} } }
`;
  const { topology, report } = importSam(text, { fileName: "auth.yaml" });
  assert.equal(report.nothingModelled, true);
  assert.match(report.summary, /^TOPO-E064: nothing in auth\.yaml is modelled \(2 resources, none a function/);
  assert.equal(report.warnings[0].code, "TOPO-E064");
  assert.match(ERRORS["TOPO-E064"].fix, /kept verbatim/); // the code leads to the fix in the catalog
  assert.equal(topology.nodes.length, 0);
  assert.deepEqual(Object.keys((topology.iac?.sam as { Resources?: object })?.Resources ?? {}).sort(), ["Pool", "Role"]);
});

test("bad input: over-long values in a template are kept verbatim with a readable reason, never a crash", () => {
  const long = "x".repeat(5_000);
  const text = `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: index.handler, Tags: { team: ${long} } }
  ${"Q".repeat(300)}: { Type: AWS::SQS::Queue }
`;
  const { topology, report } = importSam(text);
  assert.equal(validateTopology(topology).ok, true);
  const failed = report.failed.find((e) => e.logicalId === "Fn");
  assert.ok(failed, JSON.stringify(report.failed));
  assert.match(failed.message, /could not be read \(tags\.team: Too big: expected string to have <=4096 characters\); kept verbatim/);
  // An event the model cannot hold (an Api path over 1,024 characters) stays in the function's extras.
  const api = importSam(`Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs22.x, Handler: index.handler, Events: { Web: { Type: Api, Properties: { Path: /${"p".repeat(2_000)}, Method: get } } } }
`);
  assert.equal(validateTopology(api.topology).ok, true);
  assert.ok(api.report.failed.some((e) => /event "Web" could not be read \(path: Too big/.test(e.message)), JSON.stringify(api.report.failed));
  assert.equal(api.topology.nodes.filter((n) => n.kind === "http-route").length, 0);
  // A 300-character logical id becomes a 140-character name.
  const q = topology.nodes.find((n) => n.kind === "queue");
  assert.equal(q?.name.length, 140);
});

test("bad input: a template with more resources than a topology may hold is refused (TOPO-E190), not an internal error", () => {
  const lines = ["Resources:"];
  for (let i = 0; i < 10_001; i++) lines.push(`  Q${i}: { Type: AWS::SQS::Queue }`);
  refused(() => importSam(lines.join("\n")), "TOPO-E190", /the template is too large to draw as one topology: the topology has 10,001 nodes; the limit is 10,000/, 30_000);
});
