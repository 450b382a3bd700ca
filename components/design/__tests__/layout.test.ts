import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES } from "../../../server/model/examples/index";
import { TopologySchema, type Topology } from "../../../server/model/schema";
import { boxContains, boxesOverlap, type Box } from "../geometry";
import { ELK_NODE_LIMIT, childrenInsideContexts, layoutReason, layoutSelection, layoutTopology } from "../layout";
import { layeredLayout } from "../layered";
import { nodeBox, topologyToFlow } from "../to-flow";

/** The document without any position or size: what an import from a template looks like. */
const unplaced = (doc: Topology): Topology => ({
  ...doc,
  contexts: doc.contexts.map(({ position: _p, size: _s, ...c }) => c),
  nodes: doc.nodes.map(({ position: _p, ...n }) => n),
});

const ctxBox = (c: Topology["contexts"][number]): Box => ({ ...c.position!, ...c.size! });

function assertWellPlaced(laid: Topology, label: string) {
  for (const n of laid.nodes) assert.ok(n.position && Number.isFinite(n.position.x) && Number.isFinite(n.position.y), `${label}: ${n.id} has a position`);
  for (const c of laid.contexts) assert.ok(c.position && c.size && c.size.width > 0 && c.size.height > 0, `${label}: ${c.id} has a box`);
  assert.ok(childrenInsideContexts(laid), `${label}: every node inside its context's box`);
  for (const n of laid.nodes) {
    const c = laid.contexts.find((x) => x.id === n.contextId);
    if (c) assert.ok(boxContains(ctxBox(c), nodeBox(n)), `${label}: ${n.id} inside ${c.id}`);
  }
  const boxes = laid.nodes.map((n) => [n.id, nodeBox(n)] as const);
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) assert.ok(!boxesOverlap(boxes[i][1], boxes[j][1]), `${label}: ${boxes[i][0]} and ${boxes[j][0]} overlap`);
  for (let i = 0; i < laid.contexts.length; i++)
    for (let j = i + 1; j < laid.contexts.length; j++)
      assert.ok(!boxesOverlap(ctxBox(laid.contexts[i]), ctxBox(laid.contexts[j])), `${label}: contexts ${laid.contexts[i].id} and ${laid.contexts[j].id} overlap`);
  for (const n of laid.nodes)
    for (const c of laid.contexts)
      if (n.contextId !== c.id) assert.ok(!boxesOverlap(ctxBox(c), nodeBox(n)), `${label}: ${n.id} lies in ${c.id}'s box`);
  assert.equal(layoutReason(laid), null, `${label}: the result needs no further layout`);
}

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: the example's own positions are usable as they are`, () => {
    assert.equal(layoutReason(topology), null);
  });

  test(`${slug}: layout places every node, keeps contexts together, overlaps nothing`, async () => {
    const doc = unplaced(topology);
    assert.match(layoutReason(doc) ?? "", /no position/);
    const laid = await layoutTopology(doc);
    assertWellPlaced(laid, slug);
    // Only geometry changes; the rest of the document is untouched.
    assert.deepEqual(unplaced(laid), doc);
    // And the canvas draws it with every child inside its group.
    const flow = topologyToFlow(laid);
    for (const n of flow.nodes) if (n.parentId) assert.ok(n.position.x >= 0 && n.position.y >= 0, `${n.id} relative to its group`);
  });

  test(`${slug}: layout keeps a left-to-right flow (a trigger's source left of its function)`, async () => {
    const laid = await layoutTopology(unplaced(topology));
    const x = new Map(laid.nodes.map((n) => [n.id, n.position!.x] as const));
    for (const e of laid.edges) if (e.kind === "trigger") assert.ok(x.get(e.source)! < x.get(e.target)!, `${e.id}: source left of target`);
  });
}

test("layout is deterministic", async () => {
  const doc = unplaced(EXAMPLES[1].topology);
  assert.deepEqual(await layoutTopology(doc), await layoutTopology(doc));
});

test("layoutReason names missing positions, overlaps and strays", () => {
  const orders = EXAMPLES[0].topology;
  const [first, second] = orders.nodes;
  assert.equal(layoutReason({ ...orders, nodes: [{ ...first, position: undefined }, ...orders.nodes.slice(1)] }), "1 node has no position");
  assert.match(layoutReason({ ...orders, nodes: [first, { ...second, position: first.position }, ...orders.nodes.slice(2)] }) ?? "", /overlap/);
  const ext = orders.nodes.find((n) => !n.contextId)!;
  const ctx = orders.contexts[0];
  const stray = { ...ext, position: { x: ctx.position!.x + 5, y: ctx.position!.y + 5 } };
  assert.match(layoutReason({ ...orders, nodes: orders.nodes.map((n) => (n.id === ext.id ? stray : n)) }) ?? "", /overlap|box of context/);
});

test("a partly placed document, an empty context and a missing context are laid out too", async () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "Partial",
    contexts: [
      { id: "a", name: "A" },
      { id: "empty", name: "Empty" },
    ],
    nodes: [
      { id: "q", kind: "queue", name: "Q", contextId: "a", position: { x: 10, y: 10 } },
      { id: "f", kind: "function", name: "F", contextId: "a" },
      { id: "g", kind: "function", name: "G", contextId: "gone" },
      { id: "x", kind: "external", name: "X" },
    ],
    edges: [
      { id: "t", kind: "trigger", source: "q", target: "f" },
      { id: "c", kind: "call", source: "f", target: "g", mode: "async" },
      { id: "p", kind: "produce", source: "g", target: "x" },
    ],
  });
  assert.ok(layoutReason(doc));
  const laid = await layoutTopology(doc);
  assertWellPlaced(laid, "partial");
  assert.ok(laid.contexts.find((c) => c.id === "empty")!.size!.width > 0);
});

test("a larger generated document (200 nodes) lays out within a few seconds", async () => {
  const contexts = Array.from({ length: 10 }, (_, i) => ({ id: `c${i}`, name: `C${i}` }));
  const nodes = contexts.flatMap((c, i) =>
    Array.from({ length: 10 }, (_, j) => [
      { id: `q${i}-${j}`, kind: "queue" as const, name: `Q${i}.${j}`, contextId: c.id },
      { id: `f${i}-${j}`, kind: "function" as const, name: `F${i}.${j}`, contextId: c.id },
    ]).flat(),
  );
  const edges = contexts.flatMap((_, i) =>
    Array.from({ length: 10 }, (_, j) => [
      { id: `t${i}-${j}`, kind: "trigger" as const, source: `q${i}-${j}`, target: `f${i}-${j}`, batchSize: 10 },
      { id: `p${i}-${j}`, kind: "produce" as const, source: `f${i}-${j}`, target: `q${(i + 1) % 10}-${j}` },
    ]).flat(),
  );
  const doc = TopologySchema.parse({ schemaVersion: 1, name: "Big", contexts, nodes, edges });
  const t0 = Date.now();
  const laid = await layoutTopology(doc);
  const ms = Date.now() - t0;
  assertWellPlaced(laid, "big");
  assert.ok(ms < 10_000, `took ${ms} ms`);
});

test("large documents use the built-in layered layout: contexts kept together, no overlap, left to right", async () => {
  // Past ELK_NODE_LIMIT nodes; shaped like the generated benchmark topologies.
  const contexts = Array.from({ length: 8 }, (_, i) => ({ id: `c${i}`, name: `C${i}` }));
  const nodes = contexts.flatMap((c, i) =>
    Array.from({ length: 20 }, (_, j) => [
      { id: `q${i}-${j}`, kind: "queue" as const, name: `Q${i}.${j}`, contextId: c.id },
      { id: `f${i}-${j}`, kind: "function" as const, name: `F${i}.${j}`, contextId: c.id },
    ]).flat(),
  );
  const edges = contexts.flatMap((_, i) =>
    Array.from({ length: 20 }, (_, j) => [
      { id: `t${i}-${j}`, kind: "trigger" as const, source: `q${i}-${j}`, target: `f${i}-${j}`, batchSize: 10 },
      { id: `p${i}-${j}`, kind: "produce" as const, source: `f${i}-${j}`, target: `q${(i + 1) % 8}-${(j + 1) % 20}` },
    ]).flat(),
  );
  const doc = TopologySchema.parse({ schemaVersion: 1, name: "Large", contexts, nodes, edges });
  assert.ok(doc.nodes.length > ELK_NODE_LIMIT);
  const t0 = Date.now();
  const laid = await layoutTopology(doc);
  assert.ok(Date.now() - t0 < 2_000, "fast");
  assertWellPlaced(laid, "large");
  const x = new Map(laid.nodes.map((n) => [n.id, n.position!.x] as const));
  for (const e of laid.edges) if (e.kind === "trigger") assert.ok(x.get(e.source)! < x.get(e.target)!, `${e.id}: source left of target`);
});

test("layeredLayout: cycles, isolated nodes and variable sizes", () => {
  const r = layeredLayout({
    ids: ["a", "b", "c", "d"],
    edges: [
      { source: "a", target: "b" },
      { source: "b", target: "c" },
      { source: "c", target: "a" },
    ],
    size: (id) => (id === "d" ? { width: 300, height: 200 } : { width: 100, height: 50 }),
    padding: { top: 10, right: 10, bottom: 10, left: 10 },
  });
  assert.equal(r.positions.size, 4);
  const boxes = [...r.positions].map(([id, p]) => ({ id, ...p, ...(id === "d" ? { width: 300, height: 200 } : { width: 100, height: 50 }) }));
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) assert.ok(!boxesOverlap(boxes[i], boxes[j]), `${boxes[i].id} ${boxes[j].id}`);
  assert.ok(r.positions.get("a")!.x < r.positions.get("b")!.x && r.positions.get("b")!.x < r.positions.get("c")!.x, "the back edge is broken, not the chain");
  for (const b of boxes) assert.ok(b.x >= 10 && b.y >= 10 && b.x + b.width <= r.width && b.y + b.height <= r.height);
});

test("tidy lays out only the selection and keeps its top-left corner", async () => {
  const doc = EXAMPLES[0].topology;
  const ids = ["route-get-order", "route-create-order", "fn-order-handler"];
  const before = doc.nodes.filter((n) => ids.includes(n.id));
  const corner = { x: Math.min(...before.map((n) => n.position!.x)), y: Math.min(...before.map((n) => n.position!.y)) };
  const positions = await layoutSelection(doc, ids);
  assert.deepEqual([...positions.keys()].sort(), [...ids].sort());
  const after = [...positions.values()];
  assert.deepEqual({ x: Math.min(...after.map((p) => p.x)), y: Math.min(...after.map((p) => p.y)) }, corner);
  assert.ok(positions.get("route-get-order")!.x < positions.get("fn-order-handler")!.x, "routes left of their function");
});
