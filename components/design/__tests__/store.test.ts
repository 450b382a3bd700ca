import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES, kafkaConsumersTopology, ordersTopology } from "../../../server/model/examples/index";
import { TopologySchema, type TopoNode, type Topology } from "../../../server/model/schema";
import { validateTopology } from "../../../server/model/validate";
import { copyElements, parseClipboard } from "../operations";
import { COALESCE_MS, HISTORY_LIMIT, createDesignStore, revisionMessage } from "../store";
import { contextBoxes } from "../to-flow";

/** A store with a controllable clock, so coalescing is deterministic. */
function storeOf(doc: Topology, revision = 1) {
  let t = 1_000_000;
  const store = createDesignStore({ doc, revision, now: () => t });
  return { store, s: () => store.getState(), tick: (ms: number) => (t += ms) };
}

const node = (doc: Topology, id: string) => {
  const n = doc.nodes.find((x) => x.id === id);
  assert.ok(n, `no node ${id}`);
  return n;
};

const empty = () => TopologySchema.parse({ schemaVersion: 1, name: "Empty" });

test("addNode: schema defaults, an id from the name, selected, one undo step", () => {
  const { s } = storeOf(empty());
  const id = s().addNode("function");
  assert.equal(id, "fn-new-function");
  const fn = node(s().doc, id);
  assert.equal(fn.kind, "function");
  assert.equal(fn.kind === "function" && fn.memoryMb, 128, "schema default");
  assert.deepEqual([...s().selection], [id]);
  assert.equal(s().past.length, 1);
  assert.equal(s().version, 1);
  assert.equal(s().save.status, "unsaved");
  // A second one gets its own id; kinds that need a field get one.
  assert.equal(s().addNode("function"), "fn-new-function-2");
  const topicId = s().addNode("kafka-topic");
  const topic = node(s().doc, topicId);
  assert.equal(topic.kind === "kafka-topic" && topic.topic, "new-topic");
  assert.ok(validateTopology(s().doc).ok, "the document stays valid");
});

test("addNode into a context places the node inside the context's box", () => {
  const { s } = storeOf(empty());
  const ctx = s().addContext({ position: { x: 0, y: 0 } });
  const a = s().addNode("function", { contextId: ctx });
  const b = s().addNode("queue", { contextId: ctx });
  const box = contextBoxes(s().doc).get(ctx)!;
  for (const id of [a, b]) {
    const n = node(s().doc, id);
    assert.equal(n.contextId, ctx);
    assert.ok(n.position!.x >= box.x && n.position!.y >= box.y, `${id} inside`);
  }
  assert.notDeepEqual(node(s().doc, a).position, node(s().doc, b).position, "not on top of each other");
});

test("undo/redo: at least 100 steps back and forth, selection restored", () => {
  const { s } = storeOf(empty());
  const docs: Topology[] = [s().doc];
  for (let i = 0; i < 120; i++) {
    s().addNode("queue");
    docs.push(s().doc);
  }
  assert.equal(s().doc.nodes.length, 120);
  for (let i = 0; i < 120; i++) s().undo();
  assert.equal(s().doc, docs[0], "back to the very first document");
  assert.equal(s().past.length, 0);
  s().undo(); // nothing left: a no-op
  assert.equal(s().doc, docs[0]);
  for (let i = 0; i < 120; i++) s().redo();
  assert.equal(s().doc, docs[120]);
  s().undo();
  assert.deepEqual([...s().selection], [docs[119].nodes.at(-1)!.id], "undo restores the selection before the change");
});

test("history keeps HISTORY_LIMIT steps and drops the oldest", () => {
  const { s } = storeOf(empty());
  assert.ok(HISTORY_LIMIT >= 100);
  for (let i = 0; i < HISTORY_LIMIT + 10; i++) s().addNode("queue");
  assert.equal(s().past.length, HISTORY_LIMIT);
  for (let i = 0; i < HISTORY_LIMIT; i++) s().undo();
  assert.equal(s().doc.nodes.length, 10, "the 10 oldest steps are gone");
});

test("a new change after undo clears redo", () => {
  const { s } = storeOf(empty());
  s().addNode("queue");
  s().addNode("queue");
  s().undo();
  assert.equal(s().future.length, 1);
  s().addNode("function");
  assert.equal(s().future.length, 0);
});

test("typing in one field is one undo step (coalesced), another field is another", () => {
  const { s, tick } = storeOf(ordersTopology);
  for (const v of [5, 51, 512]) {
    assert.deepEqual(s().setField("fn-order-handler", ["memoryMb"], v), { ok: true });
    tick(200);
  }
  assert.equal(s().past.length, 1);
  s().setField("fn-order-handler", ["timeoutSeconds"], 20);
  assert.equal(s().past.length, 2);
  tick(COALESCE_MS + 1);
  s().setField("fn-order-handler", ["timeoutSeconds"], 25);
  assert.equal(s().past.length, 3, "after a pause, a new step");
  s().undo();
  s().undo();
  s().undo();
  assert.equal(s().doc, ordersTopology);
});

test("setField refuses what the schema refuses and accepts out-of-range numbers", () => {
  const { s } = storeOf(ordersTopology);
  const bad = s().setField("fn-order-handler", ["memoryMb"], "lots");
  assert.equal(bad.ok, false);
  assert.equal(s().version, 0, "nothing changed");
  assert.equal(s().setField("route-create-order", ["path"], "orders").ok, false, "a route path starts with /");
  assert.equal(s().setField("fn-order-handler", ["memoryMb"], 999_999).ok, true, "AWS ranges are the rules' business");
  assert.equal(s().setField("fn-order-handler", ["id"], "x").ok, false, "ids never change");
});

test("setField on a missing nested object creates it with its defaults", () => {
  const { s } = storeOf(ordersTopology);
  const fn = node(s().doc, "fn-ship-order");
  assert.equal(fn.kind === "function" && fn.asyncInvoke, undefined);
  assert.deepEqual(s().setField("fn-ship-order", ["asyncInvoke", "maximumRetryAttempts"], 1), { ok: true });
  const after = node(s().doc, "fn-ship-order");
  assert.deepEqual(after.kind === "function" && after.asyncInvoke, { maximumRetryAttempts: 1, maximumEventAgeSeconds: 21_600 });
});

test("switching a trigger to consumer-lag drops the settings that no longer apply", () => {
  const { s } = storeOf(ordersTopology);
  const id = "e-queue-order-events--fn-ship-order";
  assert.equal(s().setField(id, ["type"], "consumer-lag").ok, true);
  const e = s().doc.edges.find((x) => x.id === id)!;
  assert.equal(e.kind === "trigger" && e.batchSize, undefined);
  assert.ok(validateTopology(s().doc).ok);
});

test("connect: the model infers the kind, refuses invalid pairs with a reason, refuses duplicates", () => {
  const { s } = storeOf(empty());
  const q = s().addNode("queue");
  const f = s().addNode("function");
  const b = s().addNode("bucket");
  const k = s().addNode("kafka-topic");
  const t = s().addNode("table");
  const trigger = s().connect(q, f);
  assert.equal(trigger.ok && trigger.kind, "trigger");
  assert.deepEqual([...s().selection], [trigger.edgeId], "the new edge is selected");
  assert.equal(s().connect(f, t).ok && "access", "access");
  const g = s().addNode("function");
  const call = s().connect(f, g);
  assert.equal(call.ok && call.kind, "call");
  const produce = s().connect(f, q);
  assert.equal(produce.ok && produce.kind, "produce");
  const before = s().doc;
  const invalid = s().connect(b, k);
  assert.equal(invalid.ok, false);
  assert.ok(!invalid.ok && invalid.code === "TOPO-E013" && /S3 bucket cannot send to a Kafka topic/.test(invalid.reason), JSON.stringify(invalid));
  assert.ok(!invalid.ok && /Kafka/.test(invalid.fix));
  assert.equal(s().doc, before, "nothing added");
  const again = s().connect(q, f);
  assert.equal(again.ok, false, "a second trigger between the same two nodes");
  assert.ok(validateTopology(s().doc).ok);
});

test("moveElements: a node dragged out of its context leaves it, into another joins it", () => {
  const { s } = storeOf(ordersTopology);
  const boxes = contextBoxes(ordersTopology);
  const orders = boxes.get("ctx-orders")!;
  const shipping = boxes.get("ctx-shipping")!;
  // Into shipping.
  s().moveElements([{ id: "fn-order-handler", position: { x: shipping.x + 40, y: shipping.y + shipping.height - 80 } }]);
  assert.equal(node(s().doc, "fn-order-handler").contextId, "ctx-shipping");
  // Out, into empty space below everything.
  s().moveElements([{ id: "fn-order-handler", position: { x: orders.x, y: orders.y + orders.height + 400 } }]);
  assert.equal(node(s().doc, "fn-order-handler").contextId, undefined);
  // And back into orders.
  s().moveElements([{ id: "fn-order-handler", position: { x: orders.x + 40, y: orders.y + 60 } }]);
  assert.equal(node(s().doc, "fn-order-handler").contextId, "ctx-orders");
  assert.equal(s().past.length, 3, "one step per move");
  // A move within the context keeps it.
  s().moveElements([{ id: "fn-order-handler", position: { x: orders.x + 45, y: orders.y + 65 } }]);
  assert.equal(node(s().doc, "fn-order-handler").contextId, "ctx-orders");
});

test("moving a context takes its members along", () => {
  const { s } = storeOf(ordersTopology);
  const box = contextBoxes(ordersTopology).get("ctx-orders")!;
  const before = node(ordersTopology, "fn-order-handler").position!;
  s().moveElements([{ id: "ctx-orders", position: { x: box.x + 100, y: box.y - 50 } }]);
  assert.deepEqual(node(s().doc, "fn-order-handler").position, { x: before.x + 100, y: before.y - 50 });
  assert.equal(node(s().doc, "fn-order-handler").contextId, "ctx-orders");
  const moved = contextBoxes(s().doc).get("ctx-orders")!;
  assert.deepEqual({ x: moved.x, y: moved.y }, { x: box.x + 100, y: box.y - 50 });
});

test("arrow-key moves in a row are one undo step", () => {
  const { s, tick } = storeOf(ordersTopology);
  const p = node(ordersTopology, "fn-order-handler").position!;
  for (let i = 1; i <= 5; i++) {
    s().moveElements([{ id: "fn-order-handler", position: { x: p.x + 5 * i, y: p.y } }], { coalesce: true });
    tick(100);
  }
  assert.equal(s().past.length, 1);
  s().undo();
  assert.deepEqual(node(s().doc, "fn-order-handler").position, p);
});

test("assignContext moves nodes into the context's box, or out below it", () => {
  const { s } = storeOf(ordersTopology);
  s().assignContext(["ext-carrier"], "ctx-shipping");
  const ext = node(s().doc, "ext-carrier");
  assert.equal(ext.contextId, "ctx-shipping");
  const box = contextBoxes(s().doc).get("ctx-shipping")!;
  assert.ok(ext.position!.x >= box.x && ext.position!.y >= box.y && ext.position!.x + 170 <= box.x + box.width && ext.position!.y + 60 <= box.y + box.height);
  s().assignContext(["ext-carrier"], undefined);
  assert.equal(node(s().doc, "ext-carrier").contextId, undefined);
});

test("delete: a node takes its edges and every reference to it", () => {
  const { s } = storeOf(ordersTopology);
  // The DLQ is referenced by the queue's redrive policy.
  const q = node(ordersTopology, "queue-order-events");
  assert.equal(q.kind === "queue" && q.redrive?.deadLetterQueueId, "queue-order-events-dlq");
  s().deleteElements(["queue-order-events-dlq"]);
  const after = node(s().doc, "queue-order-events");
  assert.equal(after.kind === "queue" && after.redrive, undefined, "the redrive policy went with its DLQ");
  s().deleteElements(["queue-order-events"]);
  assert.ok(!s().doc.edges.some((e) => e.source === "queue-order-events" || e.target === "queue-order-events"), "edges gone");
  assert.ok(validateTopology(s().doc).ok, "no dangling reference left");
  s().undo();
  s().undo();
  assert.equal(s().doc, ordersTopology);
});

test("delete clears function DLQs, async destinations and trigger on-failure destinations", () => {
  const { s } = storeOf(kafkaConsumersTopology);
  const targets = new Set<string>();
  for (const n of kafkaConsumersTopology.nodes)
    if (n.kind === "function") for (const id of [n.deadLetterQueueId, n.asyncInvoke?.onFailureDestinationId, n.asyncInvoke?.onSuccessDestinationId]) if (id) targets.add(id);
  for (const e of kafkaConsumersTopology.edges) if (e.kind === "trigger" && e.onFailureDestinationId) targets.add(e.onFailureDestinationId);
  assert.ok(targets.size > 0, "the example has references to clear");
  s().deleteElements([...targets]);
  const r = validateTopology(s().doc);
  assert.ok(r.ok, JSON.stringify(r.problems));
  for (const n of s().doc.nodes) if (n.kind === "function") assert.ok(!targets.has(n.deadLetterQueueId ?? "") && !targets.has(n.asyncInvoke?.onFailureDestinationId ?? ""));
  for (const e of s().doc.edges) if (e.kind === "trigger") assert.ok(!targets.has(e.onFailureDestinationId ?? ""));
});

test("deleting a context keeps its members, outside any context; deleting a reference edge clears the field", () => {
  const { s } = storeOf(ordersTopology);
  s().deleteElements(["ctx-shipping"]);
  assert.equal(node(s().doc, "fn-ship-order").contextId, undefined);
  assert.ok(validateTopology(s().doc).ok);
  s().deleteElements(["queue-order-events~redrive.deadLetterQueueId"]);
  const q = node(s().doc, "queue-order-events");
  assert.equal(q.kind === "queue" && q.redrive, undefined);
  assert.ok(s().doc.nodes.some((n) => n.id === "queue-order-events-dlq"), "the DLQ itself stays");
});

test("copy/paste in the same project: new stable ids, remapped references, kept outside references", () => {
  const { s } = storeOf(ordersTopology);
  s().select(["queue-order-events", "queue-order-events-dlq", "fn-ship-order"]);
  const clip = s().copy()!;
  assert.equal(clip.nodes.length, 3);
  assert.ok(clip.edges.some((e) => e.source === "queue-order-events" && e.target === "fn-ship-order"), "edges between copied nodes come along");
  const ids = s().paste(parseClipboard(JSON.stringify(clip))!);
  assert.ok(ids.includes("queue-order-events-2") && ids.includes("queue-order-events-dlq-2") && ids.includes("fn-ship-order-2"), ids.join());
  const q2 = node(s().doc, "queue-order-events-2");
  assert.equal(q2.kind === "queue" && q2.redrive?.deadLetterQueueId, "queue-order-events-dlq-2", "redrive points at the copied DLQ");
  const trigger = s().doc.edges.find((e) => e.source === "queue-order-events-2");
  assert.equal(trigger?.target, "fn-ship-order-2");
  assert.equal(node(s().doc, "fn-ship-order-2").contextId, "ctx-shipping", "same project: the context is kept");
  assert.deepEqual(new Set(s().selection), new Set(ids), "the copies are selected");
  const p = node(ordersTopology, "fn-ship-order").position!;
  assert.deepEqual(node(s().doc, "fn-ship-order-2").position, { x: p.x + 40, y: p.y + 40 });
  assert.ok(validateTopology(s().doc).ok);
  assert.equal(s().past.length, 1, "one undo step");
});

test("paste into another project: references to elements that are not there are dropped", () => {
  const clip = copyElements(kafkaConsumersTopology, kafkaConsumersTopology.nodes.filter((n) => n.kind === "function").map((n) => n.id));
  const { s } = storeOf(empty());
  const ids = s().paste(clip, { at: { x: 0, y: 0 } });
  assert.ok(ids.length >= clip.nodes.length);
  const r = validateTopology(s().doc);
  assert.ok(r.ok, JSON.stringify(r.problems));
  for (const n of s().doc.nodes) {
    assert.equal(n.contextId, undefined, "no such context here");
    if (n.kind === "function") assert.equal(n.deadLetterQueueId, undefined);
  }
  const corner = { x: Math.min(...s().doc.nodes.map((n) => n.position!.x)), y: Math.min(...s().doc.nodes.map((n) => n.position!.y)) };
  assert.deepEqual(corner, { x: 0, y: 0 }, "placed at the given point");
});

test("copying a context copies its members; duplicate is copy + paste with an offset", () => {
  const { s } = storeOf(ordersTopology);
  const ids = s().duplicate(["ctx-shipping"]);
  assert.ok(ids.includes("ctx-shipping-2"));
  const members = s().doc.nodes.filter((n) => n.contextId === "ctx-shipping-2");
  assert.equal(members.length, ordersTopology.nodes.filter((n) => n.contextId === "ctx-shipping").length);
  assert.ok(validateTopology(s().doc).ok);
});

test("parseClipboard accepts only topograph element payloads", () => {
  assert.equal(parseClipboard("hello"), null);
  assert.equal(parseClipboard(JSON.stringify({ format: "other" })), null);
  assert.ok(parseClipboard(JSON.stringify(copyElements(ordersTopology, ["fn-order-handler"]))));
});

test("align and distribute", () => {
  const { s } = storeOf(ordersTopology);
  s().select(["route-get-order", "route-create-order", "fn-order-handler"]);
  s().align("top");
  const ys = ["route-get-order", "route-create-order", "fn-order-handler"].map((id) => node(s().doc, id).position!.y);
  assert.equal(new Set(ys).size, 1);
  s().align("distribute-horizontally");
  const xs = ["route-get-order", "route-create-order", "fn-order-handler"].map((id) => node(s().doc, id).position!.x).sort((a, b) => a - b);
  assert.equal(xs[1] - xs[0], xs[2] - xs[1]);
});

test("collapse and expand a context are undoable document changes", () => {
  const { s } = storeOf(ordersTopology);
  s().toggleCollapsed("ctx-orders");
  assert.equal(s().doc.contexts.find((c) => c.id === "ctx-orders")!.collapsed, true);
  s().toggleCollapsed("ctx-orders");
  assert.equal(s().doc.contexts.find((c) => c.id === "ctx-orders")!.collapsed, undefined);
  s().undo();
  assert.equal(s().doc.contexts.find((c) => c.id === "ctx-orders")!.collapsed, true);
});

test("selection changes from the canvas, select all, clear", () => {
  const { s } = storeOf(ordersTopology);
  s().setSelected([{ id: "fn-order-handler", selected: true }]);
  s().setSelected([{ id: "fn-ship-order", selected: true }]);
  assert.deepEqual(new Set(s().selection), new Set(["fn-order-handler", "fn-ship-order"]));
  const before = s().selection;
  s().setSelected([{ id: "fn-ship-order", selected: true }]);
  assert.equal(s().selection, before, "no change, same set");
  s().selectAll();
  assert.equal(s().selection.size, ordersTopology.nodes.length + ordersTopology.contexts.length);
  s().clearSelection();
  assert.equal(s().selection.size, 0);
  assert.equal(s().version, 0, "selection is not an edit");
});

test("save states: saved, unsaved, saving, a save that races an edit, conflict, load theirs", () => {
  const { s } = storeOf(ordersTopology, 3);
  assert.equal(s().save.status, "saved");
  s().addNode("function");
  assert.equal(s().save.status, "unsaved");
  s().markSaving();
  const v = s().version;
  s().addNode("queue"); // typed while the save was in flight
  s().markSaved(4, v);
  assert.equal(s().save.revision, 4);
  assert.equal(s().save.status, "unsaved", "the later edit still needs saving");
  s().markSaved(5, s().version);
  assert.equal(s().save.status, "saved");
  assert.deepEqual(s().unsaved, []);
  s().addNode("table");
  s().markConflict(7);
  assert.equal(s().save.status, "conflict");
  s().addNode("bucket");
  assert.equal(s().save.status, "conflict", "editing does not hide a conflict");
  const theirs: Topology = { ...ordersTopology, name: "Theirs" };
  s().loadRevision(theirs, 7);
  assert.equal(s().doc, theirs);
  assert.equal(s().save.status, "saved");
  assert.equal(s().save.revision, 7);
  assert.equal(s().past.length, 0, "history restarts on their document");
});

test("revisionMessage lists the changes since the last save", () => {
  assert.equal(revisionMessage([]), "Edit in the design canvas");
  assert.equal(revisionMessage(["Add function “A”", "Connect trigger Q → A"]), "Add function “A”; connect trigger Q → A");
  assert.match(revisionMessage(["a", "b", "c", "d", "e"]), /and 2 more changes$/);
  assert.ok(revisionMessage(Array.from({ length: 20 }, (_, i) => "x".repeat(200) + i)).length <= 500);
});

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: every node can be deleted and the document stays valid`, () => {
    for (const n of topology.nodes) {
      const { s } = storeOf(topology);
      s().deleteElements([n.id]);
      const r = validateTopology(s().doc);
      assert.ok(r.ok, `${n.id}: ${JSON.stringify(r.problems)}`);
    }
  });
}

test("updateNode replaces a node wholesale (a call's target asyncInvoke)", () => {
  const { s } = storeOf(ordersTopology);
  s().updateNode("fn-ship-order", (n) => ({ ...n, description: "changed" }) as TopoNode, "Edit");
  assert.equal(node(s().doc, "fn-ship-order").description, "changed");
});

test("setting a field to the value it has is not a change (no undo step, nothing to save)", () => {
  const { s } = storeOf(ordersTopology);
  assert.deepEqual(s().setField("fn-order-handler", ["reservedConcurrency"], undefined), { ok: true });
  assert.deepEqual(s().setField("fn-order-handler", ["memoryMb"], node(ordersTopology, "fn-order-handler").kind === "function" ? (node(ordersTopology, "fn-order-handler") as { memoryMb: number }).memoryMb : 0), { ok: true });
  assert.equal(s().version, 0);
  assert.equal(s().past.length, 0);
});
