import { test } from "node:test";
import assert from "node:assert/strict";
import { diffSize, diffTopologies, edgeName, jsonEqual, unitOf } from "../diff";
import { ordersTopology } from "../examples/orders";
import { generateTopology } from "../generate";
import { TopologySchema, type TopoEdge, type Topology } from "../schema";

const clone = (t: Topology): Topology => structuredClone(t);

function orders(): Topology {
  return TopologySchema.parse(ordersTopology);
}

function triggerOf(doc: Topology): Extract<TopoEdge, { kind: "trigger" }> {
  const e = doc.edges.find((x) => x.kind === "trigger" && x.source === "queue-order-events");
  assert.ok(e && e.kind === "trigger", "the Orders example has a trigger from Order events");
  return e;
}

test("identical documents: no changes, and nothing moved", () => {
  const a = orders();
  const d = diffTopologies(a, clone(a));
  assert.equal(d.identical, true);
  assert.equal(d.summary, "No changes");
  assert.equal(diffSize(d), 0);
  assert.deepEqual(d.moved, { contexts: 0, nodes: 0 });
});

test("a changed trigger setting is one field with before, after and a readable edge name", () => {
  const a = orders();
  const b = clone(a);
  triggerOf(b).batchSize = 50;
  triggerOf(b).maximumBatchingWindowSeconds = 5;
  const d = diffTopologies(a, b);
  assert.equal(d.edges.changed.length, 1);
  const e = d.edges.changed[0];
  assert.equal(e.name, "Order events → Ship order");
  assert.equal(e.kind, "trigger");
  const batch = e.fields.find((f) => f.path === "batchSize");
  assert.deepEqual(batch, { path: "batchSize", change: "changed", before: 10, after: 50 });
  const window = e.fields.find((f) => f.path === "maximumBatchingWindowSeconds");
  assert.equal(window?.after, 5);
  assert.equal(window?.unit, "s");
  assert.equal(d.summary, "1 edge changed");
  assert.equal(d.identical, false);
});

test("nested fields get dotted paths; set and unset fields say so", () => {
  const a = orders();
  const b = clone(a);
  const dlq = b.nodes.find((n) => n.kind === "queue" && n.redrive);
  assert.ok(dlq && dlq.kind === "queue" && dlq.redrive);
  const before = dlq.redrive.maxReceiveCount;
  dlq.redrive.maxReceiveCount = before + 3;
  const fn = b.nodes.find((n) => n.kind === "function");
  assert.ok(fn && fn.kind === "function");
  fn.environment = { ...fn.environment, STAGE: "prod" };
  fn.reservedConcurrency = 7;
  delete fn.description;
  const d = diffTopologies(a, b);
  const q = d.nodes.changed.find((c) => c.id === dlq.id);
  assert.deepEqual(q?.fields, [{ path: "redrive.maxReceiveCount", change: "changed", before, after: before + 3 }]);
  const f = d.nodes.changed.find((c) => c.id === fn.id);
  assert.ok(f);
  assert.deepEqual(
    f.fields.find((x) => x.path === "environment.STAGE"),
    { path: "environment.STAGE", change: "added", after: "prod" },
  );
  assert.deepEqual(f.fields.find((x) => x.path === "reservedConcurrency"), { path: "reservedConcurrency", change: "added", after: 7 });
  const original = a.nodes.find((n) => n.id === fn.id)!;
  if (original.description) assert.equal(f.fields.find((x) => x.path === "description")?.change, "removed");
});

test("units come from field names, for numbers only", () => {
  assert.equal(unitOf("timeoutSeconds"), "s");
  assert.equal(unitOf("memoryMb"), "MB");
  assert.equal(unitOf("simulate.latencyMs"), "ms");
  assert.equal(unitOf("retentionHours"), "h");
  assert.equal(unitOf("maxMessageSizeBytes"), "bytes");
  assert.equal(unitOf("batchSize"), undefined);
  const a = orders();
  const b = clone(a);
  const fn = b.nodes.find((n) => n.kind === "function")!;
  assert.ok(fn.kind === "function");
  fn.memoryMb = 1024;
  fn.timeoutSeconds = 29;
  const fields = diffTopologies(a, b).nodes.changed[0].fields;
  assert.equal(fields.find((x) => x.path === "memoryMb")?.unit, "MB");
  assert.equal(fields.find((x) => x.path === "timeoutSeconds")?.unit, "s");
});

test("added and removed nodes, edges and contexts are listed by name, and the summary counts them", () => {
  const a = orders();
  const b = clone(a);
  const removedEdge = b.edges.pop()!;
  b.contexts.push({ id: "ctx-billing", name: "Billing", color: "#112233" });
  b.nodes.push({
    id: "fn-invoice",
    kind: "function",
    name: "Invoice",
    contextId: "ctx-billing",
    runtime: "nodejs22.x",
    handler: "index.handler",
    memoryMb: 128,
    timeoutSeconds: 3,
    architecture: "arm64",
    ephemeralStorageMb: 512,
    environment: {},
    layers: [],
    snapStart: false,
    logFormat: "Text",
  });
  const d = diffTopologies(a, b);
  assert.deepEqual(d.contexts.added, [{ id: "ctx-billing", name: "Billing", kind: "context" }]);
  assert.deepEqual(d.nodes.added, [{ id: "fn-invoice", name: "Invoice", kind: "function" }]);
  const names = new Map(a.nodes.map((n) => [n.id, n.name]));
  assert.deepEqual(d.edges.removed, [{ id: removedEdge.id, name: edgeName(removedEdge, names), kind: removedEdge.kind }]);
  assert.equal(d.summary, "1 context added, 1 node added, 1 edge removed");
  // Reversed, the same changes read the other way round.
  const r = diffTopologies(b, a);
  assert.equal(r.summary, "1 context removed, 1 node removed, 1 edge added");
});

test("pure moves are counted, not listed; includePositions lists them as position.x / position.y", () => {
  const a = orders();
  const b = clone(a);
  for (const n of b.nodes.slice(0, 3)) n.position = { x: (n.position?.x ?? 0) + 40, y: n.position?.y ?? 0 };
  b.contexts[0].size = { width: 999, height: 555 };
  const d = diffTopologies(a, b);
  assert.equal(d.nodes.changed.length, 0);
  assert.equal(d.contexts.changed.length, 0);
  assert.deepEqual(d.moved, { contexts: 1, nodes: 3 });
  assert.equal(d.summary, "1 context moved or resized, 3 nodes moved");
  assert.equal(d.identical, false);
  assert.equal(diffSize(d), 0);

  const withMoves = diffTopologies(a, b, { includePositions: true });
  assert.equal(withMoves.nodes.changed.length, 3);
  assert.deepEqual(
    withMoves.nodes.changed[0].fields.map((f) => f.path),
    ["position.x"],
  );
  assert.ok(withMoves.contexts.changed[0].fields.some((f) => f.path === "size.width"));
});

test("a node moved and edited shows only its edits by default", () => {
  const a = orders();
  const b = clone(a);
  const fn = b.nodes.find((n) => n.kind === "function")!;
  fn.position = { x: 1, y: 2 };
  fn.name = "Renamed handler";
  const d = diffTopologies(a, b);
  assert.equal(d.nodes.changed.length, 1);
  assert.equal(d.nodes.changed[0].name, "Renamed handler");
  assert.deepEqual(d.nodes.changed[0].fields.map((f) => f.path), ["name"]);
  assert.equal(d.moved.nodes, 1);
});

test("references are labelled with the names they point at", () => {
  const a = orders();
  const b = clone(a);
  const other = b.contexts.find((c) => c.id !== b.nodes[0].contextId);
  assert.ok(other, "Orders has two contexts");
  const node = b.nodes.find((n) => n.contextId && n.contextId !== other.id)!;
  const from = a.contexts.find((c) => c.id === node.contextId)!;
  node.contextId = other.id;
  const f = diffTopologies(a, b).nodes.changed.find((c) => c.id === node.id)!.fields[0];
  assert.equal(f.path, "contextId");
  assert.equal(f.beforeLabel, from.name);
  assert.equal(f.afterLabel, other.name);
});

test("document settings: name and description", () => {
  const a = orders();
  const b = clone(a);
  b.name = "Orders v2";
  const d = diffTopologies(a, b);
  assert.deepEqual(d.document, [{ path: "name", change: "changed", before: a.name, after: "Orders v2" }]);
  assert.equal(d.summary, "1 document setting changed");
});

test("arrays are compared whole", () => {
  const a = orders();
  const b = clone(a);
  const fn = b.nodes.find((n) => n.kind === "function")!;
  assert.ok(fn.kind === "function");
  const before = [...fn.layers];
  fn.layers = [...fn.layers, "arn:aws:lambda:eu-west-1:123456789012:layer:x:1"];
  const f = diffTopologies(a, b).nodes.changed[0].fields;
  assert.deepEqual(f, [{ path: "layers", change: "changed", before, after: fn.layers }]);
});

test("jsonEqual ignores key order and undefined keys", () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 }), true);
  assert.equal(jsonEqual({ a: 1, x: undefined }, { a: 1 }), true);
  assert.equal(jsonEqual([1, 2], [2, 1]), false);
  assert.equal(jsonEqual({ a: [] }, { a: {} }), false);
  assert.equal(jsonEqual(null, {}), false);
});

test("an empty document against a generated one: everything added", () => {
  const big = generateTopology({ functions: 40, channels: 12, edges: 60, contexts: 4 });
  const empty = TopologySchema.parse({ schemaVersion: 1, name: big.name });
  const d = diffTopologies(empty, big);
  assert.equal(d.nodes.added.length, big.nodes.length);
  assert.equal(d.edges.added.length, big.edges.length);
  assert.equal(d.contexts.added.length, 4);
  assert.match(d.edges.added[0].name, /^Function \d+ → (Queue|Stream) \d+$/);
  assert.match(d.summary, /^1 document setting changed, 4 contexts added, 52 nodes added, 60 edges added$/);
});
