import { test } from "node:test";
import assert from "node:assert/strict";
import { ordersTopology } from "../../../server/model/examples/index";
import { TopologySchema } from "../../../server/model/schema";
import { badges, computeFindings, groupBySeverity } from "../findings";
import { setField } from "../operations";
import { PALETTE as palette, searchPalette } from "../palette";
import { searchElements } from "../search";

test("a bad setting shows up as a finding on its element, with a fix, errors first", () => {
  const changed = setField(ordersTopology, "e-queue-order-events--fn-ship-order", ["batchSize"], 20_000);
  assert.ok(changed.ok);
  if (!changed.ok) return;
  const { list, byElement } = computeFindings(changed.doc);
  const f = list.find((x) => x.code === "batch-size-range");
  assert.ok(f, list.map((x) => x.code).join());
  assert.equal(f.severity, "error");
  assert.ok(f.elements.includes("e-queue-order-events--fn-ship-order"));
  assert.ok(f.fix.length > 0);
  assert.equal(byElement.get("e-queue-order-events--fn-ship-order")?.worst, "error");
  const ranks = list.map((x) => ["error", "warning", "info"].indexOf(x.severity));
  assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "errors, then warnings, then info");
});

test("integrity problems join the list as model findings", () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "Dangling",
    nodes: [{ id: "f", kind: "function", name: "F", deadLetterQueueId: "gone" }],
  });
  const { list, byElement } = computeFindings(doc);
  const f = list.find((x) => x.code === "TOPO-E015");
  assert.ok(f);
  assert.equal(f.source, "model");
  assert.equal(byElement.get("f")?.worst, "error");
});

test("badges are reused while unchanged, so only changed nodes re-render", () => {
  const first = computeFindings(ordersTopology);
  const again = computeFindings(ordersTopology, first.byElement);
  for (const [id, b] of again.byElement) assert.equal(b, first.byElement.get(id), id);
  const list = [
    { key: "1", severity: "warning" as const, code: "x", source: "rule" as const, message: "m", fix: "f", elements: ["a", "b"] },
    { key: "2", severity: "error" as const, code: "y", source: "rule" as const, message: "m", fix: "f", elements: ["a", "q~redrive.deadLetterQueueId"] },
  ];
  const b = badges(list);
  assert.deepEqual(b.get("a"), { count: 2, worst: "error" });
  assert.deepEqual(b.get("b"), { count: 1, worst: "warning" });
  assert.deepEqual(b.get("q"), { count: 1, worst: "error" }, "a reference's finding shows on its owner");
  assert.deepEqual(groupBySeverity(list).map((g) => g.severity), ["error", "warning"]);
});

test("palette: every node kind and a context, searchable by AWS words", () => {
  assert.equal(palette.length, 13);
  assert.deepEqual(searchPalette("sqs").map((i) => i.kind), ["queue"]);
  assert.deepEqual(searchPalette("lambda").map((i) => i.kind), ["function"]);
  assert.ok(searchPalette("kafka").some((i) => i.kind === "kafka-topic"));
  assert.equal(searchPalette("").length, 13);
  assert.ok(palette.every((i) => i.description.length > 5));
});

test("search finds nodes and contexts by name, id, kind and context, best first", () => {
  const hits = searchElements(ordersTopology, "order h");
  assert.equal(hits[0]?.id, "fn-order-handler");
  assert.equal(searchElements(ordersTopology, "ship")[0]?.name.startsWith("Ship"), true);
  assert.ok(searchElements(ordersTopology, "dynamodb").some((h) => h.id === "table-orders"));
  assert.ok(searchElements(ordersTopology, "shipping").some((h) => h.id === "ctx-shipping"));
  assert.equal(searchElements(ordersTopology, "zzz").length, 0);
});
