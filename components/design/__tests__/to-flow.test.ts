import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES, kafkaConsumersTopology, ordersTopology } from "../../../server/model/examples/index";
import { TopologySchema, type TopoNode, type Topology, type TopologyInput } from "../../../server/model/schema";
import { NODE_HEIGHT, NODE_WIDTH, boxesOverlap, type Box, type Side } from "../geometry";
import { anchorPoint, estimateLabelSize } from "../label-placement";
import { createFlowCache, markSelected, nodeBox, topologyToFlow } from "../to-flow";
import { formatNumber, triggerSettings } from "../present";
import { deadLetterQueueIds } from "../../../server/model/graph";
import type { DesignFlowEdge, ResourceFlowNode } from "../types";

const byId = <T extends { id: string }>(list: T[], id: string): T => {
  const found = list.find((x) => x.id === id);
  assert.ok(found, `no element ${id}`);
  return found;
};
const lines = (edges: DesignFlowEdge[], id: string) => byId(edges, id).data?.labelLines ?? [];

/** The reference edges a document implies, computed straight from the model. */
function expectedReferences(doc: Topology): { source: string; target: string; label: string }[] {
  const out: { source: string; target: string; label: string }[] = [];
  for (const n of doc.nodes) {
    if (n.kind === "function") {
      if (n.deadLetterQueueId) out.push({ source: n.id, target: n.deadLetterQueueId, label: "DLQ" });
      if (n.asyncInvoke?.onSuccessDestinationId) out.push({ source: n.id, target: n.asyncInvoke.onSuccessDestinationId, label: "on success" });
      if (n.asyncInvoke?.onFailureDestinationId) out.push({ source: n.id, target: n.asyncInvoke.onFailureDestinationId, label: "on failure" });
    }
    if (n.kind === "queue" && n.redrive) out.push({ source: n.id, target: n.redrive.deadLetterQueueId, label: `redrive ×${n.redrive.maxReceiveCount}` });
  }
  for (const e of doc.edges) if (e.kind === "trigger" && e.onFailureDestinationId) out.push({ source: e.target, target: e.onFailureDestinationId, label: "on failure" });
  return out;
}

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: every context and node becomes one flow node, children under their context`, () => {
    const { nodes } = topologyToFlow(topology);
    assert.equal(nodes.length, topology.contexts.length + topology.nodes.length);
    assert.equal(new Set(nodes.map((n) => n.id)).size, nodes.length, "ids are unique");
    for (const c of topology.contexts) {
      const n = byId(nodes, c.id);
      assert.equal(n.type, "context");
      assert.equal(n.parentId, undefined);
    }
    const index = new Map(nodes.map((n, i) => [n.id, i] as const));
    for (const m of topology.nodes) {
      const n = byId(nodes, m.id);
      assert.notEqual(n.type, "context");
      assert.equal(n.parentId, m.contextId, `${m.id} parent`);
      assert.equal(n.width, NODE_WIDTH);
      assert.equal(n.height, NODE_HEIGHT);
      assert.equal(n.handles?.length, 8, "handles declared up front");
      assert.deepEqual(n.measured, { width: NODE_WIDTH, height: NODE_HEIGHT }, "sizes declared as measured");
      assert.equal((n as ResourceFlowNode).data.model, m);
      if (m.contextId) {
        const parent = byId(nodes, m.contextId);
        assert.ok(index.get(parent.id)! < index.get(m.id)!, "a parent comes before its children");
        // Relative to the group, and back to the model's absolute position.
        assert.deepEqual({ x: parent.position.x + n.position.x, y: parent.position.y + n.position.y }, m.position);
        assert.ok(n.position.x >= 0 && n.position.y >= 0, `${m.id} inside ${m.contextId} (top left)`);
        assert.ok(n.position.x + NODE_WIDTH <= parent.width! && n.position.y + NODE_HEIGHT <= parent.height!, `${m.id} inside ${m.contextId} (bottom right)`);
      } else {
        assert.deepEqual(n.position, m.position);
      }
    }
  });

  test(`${slug}: every model edge and every reference edge appears once`, () => {
    const { edges } = topologyToFlow(topology);
    assert.equal(new Set(edges.map((e) => e.id)).size, edges.length, "edge ids are unique");
    for (const e of topology.edges) {
      const drawn = edges.filter((d) => d.data?.origin === "model" && d.data.model.id === e.id);
      assert.equal(drawn.length, 1, `${e.id} drawn once`);
      assert.equal(drawn[0].type, e.kind);
      assert.equal(drawn[0].source, e.source);
      assert.equal(drawn[0].target, e.target);
    }
    const refs = edges.filter((d) => d.data?.origin === "reference");
    const expected = expectedReferences(topology);
    assert.ok(expected.length > 0, "each example has at least one DLQ or destination");
    assert.equal(refs.length, expected.length);
    for (const x of expected) {
      const matches = refs.filter((r) => r.source === x.source && r.target === x.target && r.data?.labelLines.join() === x.label);
      assert.equal(matches.length, 1, `${x.source} → ${x.target} (${x.label}) drawn once`);
      assert.equal(matches[0].type, x.label === "on success" ? "success" : "failure");
    }
    assert.equal(edges.length, topology.edges.length + expected.length);
  });

  test(`${slug}: every node is labelled for assistive technology`, () => {
    const { nodes, edges } = topologyToFlow(topology);
    for (const n of nodes) assert.match(n.ariaLabel ?? "", /^(Context|Function|HTTP route|Queue|Kinesis stream|DynamoDB table|Kafka topic|SNS topic|Event bus|Schedule|S3 bucket|Data store|External) .+/);
    for (const e of edges) assert.ok(e.ariaLabel && e.ariaLabel.length > 10, `${e.id} has an aria-label`);
  });
}

test("orders: a function, a queue, its DLQ, a route and a context as drawn", () => {
  const { nodes, edges } = topologyToFlow(ordersTopology);
  const fn = byId(nodes, "fn-order-handler") as ResourceFlowNode;
  assert.equal(fn.ariaLabel, "Function Order handler");
  assert.equal(fn.type, "function");
  const queue = byId(nodes, "queue-order-events") as ResourceFlowNode;
  assert.deepEqual(queue.data.badges.map((b) => b.text), ["Standard", "published"]);
  assert.equal(queue.data.isDeadLetterQueue, false);
  const dlq = byId(nodes, "queue-order-events-dlq") as ResourceFlowNode;
  assert.deepEqual(dlq.data.badges.map((b) => b.text), ["Standard", "DLQ"]);
  assert.equal(dlq.data.isDeadLetterQueue, true);
  const route = byId(nodes, "route-create-order") as ResourceFlowNode;
  assert.equal(route.type, "endpoint");
  assert.equal(route.data.details, "HTTP API · auth jwt", "a route named after itself shows its API and auth instead");
  const ctx = byId(nodes, "ctx-orders");
  assert.equal(ctx.ariaLabel, "Context Orders");
  assert.equal(ctx.type === "context" && ctx.data.model.owner, "team-orders");
  assert.deepEqual(lines(edges, "e-route-get-order--fn-order-handler"), [], "an HTTP trigger has no settings to show");
  // The DLQ sits right below its queue: the redrive edge leaves at the bottom and enters at the top.
  const redrive = byId(edges, "queue-order-events~redrive.deadLetterQueueId");
  assert.equal(redrive.sourceHandle, "source-bottom");
  assert.equal(redrive.targetHandle, "target-top");
  // Neighbours on a row: right → left.
  const access = byId(edges, "e-fn-order-handler--table-orders");
  assert.equal(access.sourceHandle, "source-right");
  assert.equal(access.targetHandle, "target-left");
});

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: node details carry runtime, memory, timeout, visibility, partitions, shards, vendor`, () => {
    const { nodes } = topologyToFlow(topology);
    const dlqs = deadLetterQueueIds(topology);
    for (const m of topology.nodes) {
      const d = (byId(nodes, m.id) as ResourceFlowNode).data;
      const badges = d.badges.map((b) => b.text);
      if (m.kind === "function") assert.equal(d.details, `${m.runtime} · ${formatNumber(m.memoryMb)} MB · ${formatNumber(m.timeoutSeconds)} s`);
      if (m.kind === "queue") {
        assert.equal(d.details, `visibility ${formatNumber(m.visibilityTimeoutSeconds)} s`);
        assert.equal(badges[0], m.fifo ? "FIFO" : "Standard");
        assert.equal(badges.includes("DLQ"), dlqs.has(m.id), `${m.id} DLQ badge`);
      }
      if (m.kind === "kafka-topic") assert.match(d.details, new RegExp(`^${formatNumber(m.partitions)} partitions?`));
      if (m.kind === "stream") assert.match(d.details, m.mode === "on-demand" ? /^on-demand/ : new RegExp(`^${m.shardCount} shards?`));
      if (m.kind === "schedule") assert.equal(d.details, m.expression);
      if (m.kind === "table") assert.equal(badges.includes("stream"), !!m.stream);
      if (m.kind === "external" && m.vendor) assert.equal(d.details, m.vendor);
      if (m.kind === "http-route") assert.ok(`${m.name} ${d.details}`.includes(`${m.method} ${m.path}`));
    }
  });

  test(`${slug}: edge labels carry the settings of the model`, () => {
    const { edges } = topologyToFlow(topology);
    for (const e of topology.edges) {
      const text = lines(edges, e.id).join(" | ");
      if (e.kind === "trigger") {
        if (e.type === "consumer-lag") {
          assert.ok(text.includes(`lag > ${formatNumber(e.lagThreshold!)} / ${e.lagCheckIntervalSeconds ?? 60}s`), `${e.id}: ${text}`);
          continue;
        }
        if (e.batchSize !== undefined) assert.ok(text.includes(`batch ${formatNumber(e.batchSize)}`), `${e.id}: ${text}`);
        if (e.maximumBatchingWindowSeconds) assert.ok(text.includes(`window ${e.maximumBatchingWindowSeconds}s`), `${e.id}: ${text}`);
        if (e.maximumRetryAttempts !== undefined && e.maximumRetryAttempts >= 0) assert.ok(text.includes(`retries ${e.maximumRetryAttempts}`), `${e.id}: ${text}`);
        if (e.maximumConcurrency !== undefined) assert.ok(text.includes(`max ${e.maximumConcurrency} conc.`), `${e.id}: ${text}`);
        if (e.filterCriteria) assert.ok(text.includes("filtered"), `${e.id}: ${text}`);
      }
      if (e.kind === "call") assert.equal(lines(edges, e.id).at(-1), e.mode);
      if (e.kind === "access") assert.equal(lines(edges, e.id).at(-1), e.mode === "read-write" ? "read/write" : e.mode);
      if (e.kind === "produce" && e.label) assert.equal(lines(edges, e.id)[0], e.label);
    }
  });
}

test("kafka-consumers: the lag label is not repeated, on-failure comes from the consumer, the topic is free", () => {
  const { edges, nodes } = topologyToFlow(kafkaConsumersTopology);
  const lag = kafkaConsumersTopology.edges.find((e) => e.kind === "trigger" && e.type === "consumer-lag")!;
  assert.equal(lines(edges, lag.id).length, 1, `"${lag.label}" is already in the settings`);
  const listener = kafkaConsumersTopology.edges.find((e) => e.id === "e-kafka-purchases--fn-score-purchases")!;
  assert.equal(lines(edges, listener.id)[0], listener.label, "a label that adds something stays, above the settings");
  const onFailure = byId(edges, "e-kafka-purchases--fn-score-purchases~onFailureDestinationId");
  assert.equal(onFailure.type, "failure");
  assert.equal(onFailure.source, "fn-score-purchases", "drawn from the function whose batches failed");
  assert.equal(onFailure.target, "queue-loyalty-dlq");
  assert.deepEqual(onFailure.data?.labelLines, ["on failure"]);
  const topic = byId(nodes, "kafka-purchases") as ResourceFlowNode;
  assert.equal(topic.type, "stream");
  assert.equal(topic.parentId, undefined, "a shared topic is a free node");
});

test("chocolate-box: an EventBridge rule is summarised by its detail-types", () => {
  const doc = EXAMPLES.find((e) => e.slug === "chocolate-box")!.topology;
  const { edges } = topologyToFlow(doc);
  assert.deepEqual(lines(edges, "e-bus-subscriptions--fn-track-subscription"), ["rule: CustomerRegistered +2"]);
});

/** A tiny document around one queue and one function, for settings the examples do not use. */
function miniDoc(extra: Partial<TopologyInput> = {}): Topology {
  return TopologySchema.parse({
    schemaVersion: 1,
    name: "Mini",
    nodes: [
      { id: "q", kind: "queue", name: "Jobs", fifo: true, position: { x: 0, y: 0 } },
      { id: "dlq", kind: "queue", name: "Jobs DLQ", fifo: true, position: { x: 0, y: 200 } },
      { id: "k", kind: "kafka-topic", name: "Topic", topic: "t", position: { x: 0, y: 400 } },
      { id: "f", kind: "function", name: "Worker", deadLetterQueueId: "dlq", asyncInvoke: { onSuccessDestinationId: "q" }, position: { x: 300, y: 0 } },
      { id: "g", kind: "function", name: "Caller", contextId: "missing", position: { x: 600, y: 0 } },
    ],
    edges: [
      { id: "t1", kind: "trigger", source: "q", target: "f", batchSize: 10, maximumBatchingWindowSeconds: 5 },
      { id: "t2", kind: "trigger", source: "k", target: "f", type: "consumer-lag", lagThreshold: 1000, lagCheckIntervalSeconds: 60 },
      { id: "c1", kind: "call", source: "g", target: "f", mode: "sync" },
      { id: "t3", kind: "trigger", source: "q", target: "g", enabled: false },
    ],
    ...extra,
  });
}

test("trigger labels: batch and window, consumer lag, disabled; call sync; DLQ and on-success edges", () => {
  const doc = miniDoc();
  const { edges, nodes } = topologyToFlow(doc);
  assert.deepEqual(lines(edges, "t1"), ["batch 10 · window 5s"]);
  assert.deepEqual(lines(edges, "t2"), ["lag > 1,000 / 60s"]);
  assert.deepEqual(lines(edges, "t3"), ["disabled · batch 10"]);
  assert.deepEqual(lines(edges, "c1"), ["sync"]);
  assert.equal(byId(edges, "c1").type, "call");
  assert.deepEqual(byId(edges, "f~deadLetterQueueId").data?.labelLines, ["DLQ"]);
  assert.equal(byId(edges, "f~deadLetterQueueId").type, "failure");
  assert.deepEqual(byId(edges, "f~asyncInvoke.onSuccessDestinationId").data?.labelLines, ["on success"]);
  assert.equal(byId(edges, "f~asyncInvoke.onSuccessDestinationId").type, "success");
  const dlq = byId(nodes, "dlq") as ResourceFlowNode;
  assert.deepEqual(dlq.data.badges.map((b) => b.text), ["FIFO", "DLQ"]);
  assert.equal(byId(nodes, "g").parentId, undefined, "a node of a missing context is drawn free");
});

test("triggerSettings falls back to AWS defaults for the source kind", () => {
  const doc = miniDoc();
  const q = doc.nodes.find((n) => n.id === "q") as TopoNode;
  const k = doc.nodes.find((n) => n.id === "k") as TopoNode;
  const bare = { id: "x", kind: "trigger" as const, source: "q", target: "f", type: "event" as const, enabled: true };
  assert.equal(triggerSettings(bare, q), "batch 10");
  assert.equal(triggerSettings(bare, k), "batch 100 · window 0.5s");
});

test("a context grows to hold a node placed outside its declared box", () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "Grow",
    contexts: [{ id: "c", name: "C", position: { x: 0, y: 0 }, size: { width: 100, height: 100 } }],
    nodes: [{ id: "f", kind: "function", name: "F", contextId: "c", position: { x: 400, y: 300 } }],
  });
  const { nodes } = topologyToFlow(doc);
  const ctx = byId(nodes, "c");
  const fn = byId(nodes, "f");
  assert.ok(fn.position.x + NODE_WIDTH <= ctx.width! && fn.position.y + NODE_HEIGHT <= ctx.height!);
});

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: no edge label covers a node or another label`, () => {
    const { edges } = topologyToFlow(topology);
    const boxes = new Map(topology.nodes.map((n) => [n.id, nodeBox(n)] as const));
    const side = (h: string | null | undefined) => h!.split("-")[1] as Side;
    const placed: { id: string; box: Box }[] = [];
    for (const e of edges) {
      const lines = e.data?.labelLines ?? [];
      if (!lines.length) continue;
      const a = anchorPoint(boxes.get(e.source)!, side(e.sourceHandle));
      const b = anchorPoint(boxes.get(e.target)!, side(e.targetHandle));
      const size = estimateLabelSize(lines);
      const cx = (a.x + b.x) / 2 + (e.data?.labelShift?.x ?? 0);
      const cy = (a.y + b.y) / 2 + (e.data?.labelShift?.y ?? 0);
      const box = { x: cx - size.width / 2, y: cy - size.height / 2, width: size.width, height: size.height };
      for (const [id, nb] of boxes) assert.ok(!boxesOverlap(box, nb), `${slug}: label of ${e.id} covers ${id}`);
      for (const p of placed) assert.ok(!boxesOverlap(box, p.box), `${slug}: labels of ${e.id} and ${p.id} overlap`);
      placed.push({ id: e.id, box });
    }
  });
}

// ---- the editor's additions: collapsed contexts, overview, caching, selection -----------------

test("a collapsed context is one summary node; edges to its members end at it, aggregated", () => {
  const doc = { ...ordersTopology, contexts: ordersTopology.contexts.map((c) => (c.id === "ctx-shipping" ? { ...c, collapsed: true } : c)) };
  const { nodes, edges } = topologyToFlow(doc);
  const members = ordersTopology.nodes.filter((n) => n.contextId === "ctx-shipping").map((n) => n.id);
  for (const id of members) assert.ok(!nodes.some((n) => n.id === id), `${id} hidden`);
  const summary = byId(nodes, "ctx-shipping");
  assert.equal(summary.type === "context" && summary.data.collapsed, true);
  assert.equal(summary.width, 240);
  assert.match(summary.ariaLabel ?? "", /^Context Shipping \(.*function/);
  // The queue → Ship order trigger crosses into the collapsed context: it now ends at the summary,
  // and, alone between these two ends, keeps its id, kind and label.
  const into = edges.filter((e) => e.target === "ctx-shipping");
  assert.equal(into.length, 1);
  assert.equal(into[0].id, "e-queue-order-events--fn-ship-order");
  assert.equal(into[0].type, "trigger");
  assert.deepEqual(into[0].data?.labelLines, lines(topologyToFlow(ordersTopology).edges, "e-queue-order-events--fn-ship-order"));
  // Edges entirely inside the collapsed context are not drawn.
  assert.ok(!edges.some((e) => e.source === "ctx-shipping" && e.target === "ctx-shipping"));
  for (const e of edges) {
    assert.ok(nodes.some((n) => n.id === e.source), `${e.id} source drawn`);
    assert.ok(nodes.some((n) => n.id === e.target), `${e.id} target drawn`);
  }
});

test("several edges into a collapsed context become one aggregate edge, not selectable", () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "Agg",
    contexts: [{ id: "c", name: "C", collapsed: true }],
    nodes: [
      { id: "q", kind: "queue", name: "Q", position: { x: 0, y: 0 } },
      { id: "f1", kind: "function", name: "F1", contextId: "c", position: { x: 400, y: 0 } },
      { id: "f2", kind: "function", name: "F2", contextId: "c", position: { x: 400, y: 200 } },
    ],
    edges: [
      { id: "t1", kind: "trigger", source: "q", target: "f1" },
      { id: "t2", kind: "trigger", source: "q", target: "f2" },
    ],
  });
  const { edges } = topologyToFlow(doc);
  assert.equal(edges.length, 1);
  const agg = edges[0];
  assert.equal(agg.id, "agg~q~c");
  assert.equal(agg.type, "aggregate");
  assert.equal(agg.selectable, false);
  assert.deepEqual(agg.data?.labelLines, ["2 edges"]);
  assert.deepEqual(agg.data?.origin === "aggregate" && agg.data.members, ["t1", "t2"]);
});

test("overview: contexts drawn at full size with their members as shapes, only free nodes and cross-context edges", () => {
  const { nodes, edges } = topologyToFlow(ordersTopology, undefined, "overview");
  const ctx = byId(nodes, "ctx-orders");
  assert.ok(ctx.type === "context" && ctx.data.members && ctx.data.members.length === ordersTopology.nodes.filter((n) => n.contextId === "ctx-orders").length);
  const free = ordersTopology.nodes.filter((n) => !n.contextId).map((n) => n.id);
  assert.deepEqual(nodes.filter((n) => n.type !== "context").map((n) => n.id).sort(), free.sort());
  for (const e of edges) assert.ok(nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target), e.id);
  assert.ok(edges.length < ordersTopology.edges.length, "internal edges are not drawn");
});

test("with a cache, unchanged elements come back as the same objects; changed ones are new", () => {
  const cache = createFlowCache();
  const first = topologyToFlow(ordersTopology, cache);
  const again = topologyToFlow(ordersTopology, cache);
  first.nodes.forEach((n, i) => assert.equal(again.nodes[i], n, n.id));
  first.edges.forEach((e, i) => assert.equal(again.edges[i], e, e.id));
  const edited = { ...ordersTopology, nodes: ordersTopology.nodes.map((n) => (n.id === "fn-ship-order" && n.kind === "function" ? { ...n, memoryMb: 2048 } : n)) };
  const third = topologyToFlow(edited, cache);
  const changed = third.nodes.filter((n, i) => n !== first.nodes[i]).map((n) => n.id);
  assert.deepEqual(changed, ["fn-ship-order"], "one node redrawn");
  const changedEdges = third.edges.filter((e, i) => e !== first.edges[i]).map((e) => e.id);
  for (const id of changedEdges) assert.ok(id.includes("fn-ship-order"), `${id} touches the edited node`);
  // Same output as without a cache.
  assert.deepEqual(JSON.parse(JSON.stringify(third)), JSON.parse(JSON.stringify(topologyToFlow(edited))));
});

test("markSelected flags the selected elements and reuses everything else", () => {
  const { nodes } = topologyToFlow(ordersTopology);
  const memo = new WeakMap();
  const none = markSelected(nodes, new Set(), memo);
  assert.equal(none, nodes, "no selection: the same array");
  const one = markSelected(nodes, new Set(["fn-ship-order"]), memo);
  assert.equal(one.filter((n, i) => n !== nodes[i]).length, 1);
  assert.equal(byId(one, "fn-ship-order").selected, true);
  const again = markSelected(nodes, new Set(["fn-ship-order"]), memo);
  assert.equal(byId(again, "fn-ship-order"), byId(one, "fn-ship-order"), "the marked copy is reused");
});
