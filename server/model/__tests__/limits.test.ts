/**
 * Size limits of a topology document (issue 8, "Bad input"): element counts (TOPO-E190, checked
 * before the schema so a huge array costs microseconds) and the longest string of every text
 * field (TOPO-E002 with the field's path). HTML in names and descriptions is plain text: it is
 * stored and returned as written; rendering it as text is the UI's part (server/api/__tests__).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { ERRORS, isTopoError } from "../../errors";
import { generateTopology, SCALE_5000 } from "../generate";
import { DOCUMENT_LIMITS } from "../limits";
import { parseTopologyOrThrow, validateTopology } from "../validate";

const D = DOCUMENT_LIMITS;
const base = { schemaVersion: 1, name: "Limits" };

test("limits: the 5,000-function design the canvas is benchmarked on is valid", () => {
  const doc = JSON.parse(JSON.stringify(generateTopology(SCALE_5000)));
  assert.equal(doc.nodes.filter((n: { kind: string }) => n.kind === "function").length, 5_000);
  const r = validateTopology(doc);
  assert.equal(r.ok, true, JSON.stringify(r.problems.slice(0, 2)));
});

test("limits: too many nodes, functions, edges or contexts is TOPO-E190, refused before the schema runs", () => {
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{ nodes: Array(D.maxNodes + 1).fill({}) }, "nodes", /the topology has 10,001 nodes; the limit is 10,000/],
    [{ nodes: Array(1_000_000).fill(null) }, "nodes", /the topology has 1,000,000 nodes; the limit is 10,000/],
    [{ nodes: Array(D.maxFunctions + 1).fill({ kind: "function" }) }, "nodes", /the topology has 5,001 functions; the limit is 5,000/],
    [{ edges: Array(D.maxEdges + 1).fill({}) }, "edges", /the topology has 20,001 edges; the limit is 20,000/],
    [{ contexts: Array(D.maxContexts + 1).fill({}) }, "contexts", /the topology has 1,001 contexts; the limit is 1,000/],
  ];
  for (const [extra, path, message] of cases) {
    const t0 = performance.now();
    const r = validateTopology({ ...base, ...extra });
    const ms = performance.now() - t0;
    assert.equal(r.ok, false);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, "TOPO-E190");
    assert.equal(r.problems[0].path, path);
    assert.match(r.problems[0].message, message);
    assert.equal(r.problems[0].fix, ERRORS["TOPO-E190"].fix);
    // Garbage elements were never parsed: only counted (generous guard; it takes well under 50 ms).
    assert.ok(ms < 1_000, `${ms} ms`);
  }
  // Through the API's entry point it is a 422 TopoError with the code, message and fix.
  assert.throws(
    () => parseTopologyOrThrow({ ...base, nodes: Array(D.maxNodes + 1).fill({}) }),
    (e: unknown) => isTopoError(e) && e.code === "TOPO-E190" && e.status === 422 && /10,001 nodes/.test(e.message) && /Split the design/.test(e.fix),
  );
});

const fn = (extra: Record<string, unknown>) => ({ id: "fn", kind: "function", name: "Fn", ...extra });
const q = { id: "q", kind: "queue", name: "Q" };

/** [what, document with a string of length n, path of the problem] for every bounded text field. */
const FIELDS: [string, number, (s: string) => Record<string, unknown>, string][] = [
  ["document name", 140, (s) => ({ name: s }), "name"],
  ["document description", 20_000, (s) => ({ description: s }), "description"],
  ["node name", 140, (s) => ({ nodes: [fn({ name: s })] }), "nodes[0].name"],
  ["node description", 4_000, (s) => ({ nodes: [fn({ description: s })] }), "nodes[0].description"],
  ["context name", 140, (s) => ({ contexts: [{ id: "c", name: s }] }), "contexts[0].name"],
  ["tag key", D.text.key, (s) => ({ nodes: [fn({ tags: { [s]: "v" } })] }), "nodes[0].tags"],
  ["tag value", D.text.value, (s) => ({ nodes: [fn({ tags: { team: s } })] }), "nodes[0].tags.team"],
  ["environment variable value", D.text.value, (s) => ({ nodes: [fn({ environment: { K: s } })] }), "nodes[0].environment.K"],
  ["layer", D.text.reference, (s) => ({ nodes: [fn({ layers: [s] })] }), "nodes[0].layers[0]"],
  ["inline source", 200_000, (s) => ({ nodes: [fn({ inlineSource: s })] }), "nodes[0].inlineSource"],
  ["table key name", D.text.key, (s) => ({ nodes: [{ id: "t", kind: "table", name: "T", partitionKey: { name: s } }] }), "nodes[0].partitionKey.name"],
  ["Kafka cluster ARN", D.text.reference, (s) => ({ nodes: [{ id: "k", kind: "kafka-topic", name: "K", topic: "t", clusterArn: s }] }), "nodes[0].clusterArn"],
  ["edge label", 140, (s) => ({ nodes: [q, fn({})], edges: [{ id: "e", kind: "trigger", source: "q", target: "fn", label: s }] }), "edges[0].label"],
  ["event filter pattern", D.text.value, (s) => ({ nodes: [q, fn({})], edges: [{ id: "e", kind: "trigger", source: "q", target: "fn", filterCriteria: { patterns: [s] } }] }), "edges[0].filterCriteria.patterns[0]"],
];

test("limits: every text field has a maximum length: at the limit it saves, one more is TOPO-E002 at its path", () => {
  for (const [what, max, make, path] of FIELDS) {
    const at = validateTopology({ ...base, ...make("a".repeat(max)) });
    assert.equal(at.ok, true, `${what} at ${max}: ${JSON.stringify(at.problems.slice(0, 1))}`);
    const over = validateTopology({ ...base, ...make("a".repeat(max + 1)) });
    assert.equal(over.ok, false, `${what} at ${max + 1} must be refused`);
    const p = over.problems.find((x) => x.path === path || x.path?.startsWith(`${path}.`));
    assert.ok(p, `${what}: expected a problem at ${path}, got ${over.problems.map((x) => x.path).join(", ")}`);
    assert.equal(p.code, "TOPO-E002");
    assert.match(p.message, new RegExp(`<=${max}|${max}`));
  }
});

test("limits: HTML and script in names and descriptions are stored as the text they are", () => {
  const html = `<img src=x onerror="alert(1)"><script>alert('x')</script>&amp;`;
  const r = validateTopology({ ...base, name: html.slice(0, 140), description: html, contexts: [{ id: "c", name: "<b>ctx</b>" }], nodes: [fn({ name: "</div><svg onload=alert(1)>", contextId: "c", description: html })] });
  assert.equal(r.ok, true);
  if (!r.ok) return;
  assert.equal(r.topology.name, html.slice(0, 140));
  assert.equal(r.topology.nodes[0].name, "</div><svg onload=alert(1)>");
  assert.equal(r.topology.nodes[0].description, html);
  // JSON is how it travels: the text survives the trip byte for byte.
  assert.deepEqual(JSON.parse(JSON.stringify(r.topology)), r.topology);
});
