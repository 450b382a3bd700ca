import { test } from "node:test";
import assert from "node:assert/strict";
import { TopoError } from "../../errors";
import { generateTopology, SCALE_1000 } from "../generate";
import { EDGE_KINDS, NODE_KINDS, topologyJsonSchema } from "../schema";
import { formatPath, parseTopologyOrThrow, validateTopology, validateTopologyText } from "../validate";

test("the smallest document is valid and gets its defaults", () => {
  const r = validateTopology({ schemaVersion: 1, name: "Empty" });
  assert.equal(r.ok, true);
  if (r.ok) assert.deepEqual([r.topology.contexts, r.topology.nodes, r.topology.edges], [[], [], []]);
});

test("malformed JSON is TOPO-E001", () => {
  for (const text of ["{", "{ \"name\": 'x' }", "", "[1,]"]) {
    const r = validateTopologyText(text);
    assert.equal(r.ok, false, text);
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].code, "TOPO-E001");
    assert.match(r.problems[0].message, /not valid JSON/);
    assert.ok(r.problems[0].fix);
  }
});

test("well-formed JSON that is not an object is TOPO-E002", () => {
  for (const text of ["[]", "null", "42", "\"topology\""]) {
    const r = validateTopologyText(text);
    assert.equal(r.ok, false, text);
    assert.equal(r.problems[0].code, "TOPO-E002");
  }
});

test("schema problems are TOPO-E002 with a JSON path", () => {
  const r = validateTopology({
    schemaVersion: 1,
    name: "Bad",
    nodes: [
      { id: "fn-a", kind: "function", name: "A", memoryMb: "lots" },
      { id: "Bad Id", kind: "queue", name: "Q" },
      { id: "x", kind: "teleporter", name: "?" },
    ],
  });
  assert.equal(r.ok, false);
  assert.ok(r.problems.every((p) => p.code === "TOPO-E002"));
  const paths = r.problems.map((p) => p.path);
  assert.ok(paths.includes("nodes[0].memoryMb"), paths.join());
  assert.ok(paths.includes("nodes[1].id"), paths.join());
  assert.ok(paths.some((p) => p?.startsWith("nodes[2]")), paths.join());
});

test("integrity is only checked once the shape is right, and reports every problem", () => {
  const r = validateTopology({
    schemaVersion: 1,
    name: "Broken refs",
    nodes: [
      { id: "fn-a", kind: "function", name: "A", contextId: "ctx-none" },
      { id: "fn-a", kind: "function", name: "A again" },
    ],
    edges: [{ id: "e-1", kind: "call", source: "fn-a", target: "fn-gone" }],
  });
  assert.equal(r.ok, false);
  assert.deepEqual(r.problems.map((p) => p.code).sort(), ["TOPO-E010", "TOPO-E011", "TOPO-E012"]);
  assert.ok(r.topology, "the parsed document comes back so the editor can still draw it");
});

test("parseTopologyOrThrow throws one TopoError carrying every problem", () => {
  assert.throws(
    () => parseTopologyOrThrow({ schemaVersion: 1, name: "x", nodes: [{ id: "fn-a", kind: "function", name: "A", contextId: "ctx-none" }] }),
    (e: unknown) => e instanceof TopoError && e.code === "TOPO-E012" && e.details?.length === 1 && /1 problem,/.test(e.message),
  );
  assert.equal(parseTopologyOrThrow({ schemaVersion: 1, name: "ok" }).name, "ok");
});

test("formatPath writes JSON paths", () => {
  assert.equal(formatPath(["nodes", 2, "timeoutSeconds"]), "nodes[2].timeoutSeconds");
  assert.equal(formatPath([]), "(document)");
  assert.equal(formatPath(["edges", 0, "filterCriteria", "patterns", 1]), "edges[0].filterCriteria.patterns[1]");
});

test("topologyJsonSchema is JSON and names every node and edge kind", () => {
  const schema = topologyJsonSchema();
  const text = JSON.stringify(schema);
  assert.deepEqual(JSON.parse(text), schema);
  assert.equal(schema.$id, "https://topograph.dev/schema/topology-v1.json");
  assert.match(String(schema.$schema), /json-schema\.org/);
  for (const kind of [...NODE_KINDS, ...EDGE_KINDS]) assert.ok(text.includes(`"${kind}"`), kind);
  for (const field of ["schemaVersion", "contextId", "visibilityTimeoutSeconds", "consumerGroupId", "lagThreshold"]) assert.ok(text.includes(`"${field}"`), field);
});

test("generateTopology(SCALE_1000) validates with 1000 functions and 1500 edges, deterministically", () => {
  const doc = generateTopology(SCALE_1000);
  assert.equal(doc.nodes.filter((n) => n.kind === "function").length, 1_000);
  assert.equal(doc.edges.length, 1_500);
  assert.equal(doc.contexts.length, 30);
  const r = validateTopology(JSON.parse(JSON.stringify(doc)));
  assert.equal(r.ok, true, JSON.stringify(r.problems.slice(0, 3)));
  assert.equal(JSON.stringify(generateTopology(SCALE_1000)), JSON.stringify(doc));
});
