import { test } from "node:test";
import assert from "node:assert/strict";
import {
  checkConnection,
  checkIntegrity,
  deadLetterQueueIds,
  effectiveTrigger,
  inapplicableTriggerSettings,
  indexTopology,
  inferEdgeKind,
  PRODUCE_TARGETS,
  TRIGGER_SETTINGS,
} from "../graph";
import { LIMITS } from "../limits";
import { NODE_KINDS, TopologySchema, type NodeKind, type TopoNode, type Topology, type TopologyInput, type TriggerEdge } from "../schema";

/** One node of every kind (the table has a stream; `table-plain` has none), all in ctx-a. */
function base(): TopologyInput {
  const c = "ctx-a";
  return {
    schemaVersion: 1,
    name: "Graph test",
    contexts: [{ id: c, name: "A" }],
    nodes: [
      { id: "fn-a", kind: "function", name: "A", contextId: c },
      { id: "fn-b", kind: "function", name: "B", contextId: c },
      { id: "route-a", kind: "http-route", name: "GET /a", contextId: c, method: "GET", path: "/a" },
      { id: "queue-a", kind: "queue", name: "Queue", contextId: c },
      { id: "queue-fifo", kind: "queue", name: "Fifo queue", contextId: c, fifo: true },
      { id: "stream-a", kind: "stream", name: "Stream", contextId: c },
      { id: "table-a", kind: "table", name: "Table", contextId: c, stream: { viewType: "NEW_IMAGE" } },
      { id: "table-plain", kind: "table", name: "Plain table", contextId: c },
      { id: "kafka-a", kind: "kafka-topic", name: "Topic", contextId: c, topic: "t" },
      { id: "sns-a", kind: "sns-topic", name: "SNS", contextId: c },
      { id: "bus-a", kind: "event-bus", name: "Bus", contextId: c },
      { id: "schedule-a", kind: "schedule", name: "Hourly", contextId: c, expression: "rate(1 hour)" },
      { id: "bucket-a", kind: "bucket", name: "Bucket", contextId: c },
      { id: "store-a", kind: "data-store", name: "Store", contextId: c },
      { id: "ext-a", kind: "external", name: "Partner" },
    ],
    edges: [],
  };
}

function doc(mutate: (d: TopologyInput & { nodes: unknown[]; edges: unknown[]; contexts: unknown[] }) => void = () => {}): Topology {
  const d = base() as TopologyInput & { nodes: unknown[]; edges: unknown[]; contexts: unknown[] };
  mutate(d);
  return TopologySchema.parse(d);
}

const nodes = new Map(doc().nodes.map((n) => [n.id, n]));
const node = (id: string): TopoNode => {
  const n = nodes.get(id);
  if (!n) throw new Error(`no node ${id}`);
  return n;
};
const byKind = (kind: NodeKind): TopoNode => [...nodes.values()].find((n) => n.kind === kind)!;

const trigger = (source: string, target: string, extra: Partial<TriggerEdge> = {}): TriggerEdge =>
  ({ id: `e-${source}--${target}`, kind: "trigger", source, target, type: "event", enabled: true, ...extra }) as TriggerEdge;

test("the base document has no integrity problems", () => {
  assert.deepEqual(checkIntegrity(doc()), []);
});

test("indexTopology builds outgoing and incoming lists", () => {
  const d = doc((x) => {
    x.edges.push({ id: "e1", kind: "call", source: "fn-a", target: "fn-b" }, { id: "e2", kind: "produce", source: "fn-a", target: "queue-a" });
  });
  const idx = indexTopology(d);
  assert.deepEqual(
    idx.outgoing.get("fn-a")?.map((e) => e.id),
    ["e1", "e2"],
  );
  assert.deepEqual(
    idx.incoming.get("queue-a")?.map((e) => e.id),
    ["e2"],
  );
  assert.equal(idx.contexts.get("ctx-a")?.name, "A");
});

// ---- TOPO-E010..E015 -----------------------------------------------------------------------

test("duplicate ids across nodes, edges and contexts are TOPO-E010", () => {
  const d = doc((x) => {
    x.nodes.push({ id: "fn-a", kind: "function", name: "Copy" });
    x.edges.push({ id: "ctx-a", kind: "call", source: "fn-a", target: "fn-b" });
  });
  const problems = checkIntegrity(d).filter((p) => p.code === "TOPO-E010");
  assert.equal(problems.length, 2);
  assert.ok(problems.some((p) => p.elementId === "fn-a" && p.path === `nodes[${d.nodes.length - 1}]`));
  assert.ok(problems.some((p) => p.elementId === "ctx-a" && /contexts\[0\]/.test(p.message)));
  for (const p of problems) assert.ok(p.fix.length > 0);
});

test("an edge to or from a missing node is TOPO-E011, one problem per missing end", () => {
  const d = doc((x) => {
    x.edges.push({ id: "e-ghost", kind: "call", source: "fn-ghost", target: "fn-nobody" });
    x.edges.push({ id: "e-half", kind: "produce", source: "fn-a", target: "queue-ghost" });
  });
  const problems = checkIntegrity(d);
  assert.deepEqual(
    problems.map((p) => [p.code, p.path]),
    [
      ["TOPO-E011", "edges[0].source"],
      ["TOPO-E011", "edges[0].target"],
      ["TOPO-E011", "edges[1].target"],
    ],
  );
});

test("a node in a missing context is TOPO-E012; a node without context is fine", () => {
  const d = doc((x) => {
    x.nodes.push({ id: "fn-lost", kind: "function", name: "Lost", contextId: "ctx-gone" });
  });
  const problems = checkIntegrity(d);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, "TOPO-E012");
  assert.equal(problems[0].elementId, "fn-lost");
  assert.equal(problems[0].path, `nodes[${d.nodes.length - 1}].contextId`);
  assert.match(problems[0].message, /ctx-gone/);
});

test("invalid connections are TOPO-E013 with the reason", () => {
  const cases: [unknown, RegExp][] = [
    [{ id: "e1", kind: "produce", source: "bucket-a", target: "kafka-a" }, /S3 bucket cannot send to a Kafka topic/],
    [{ id: "e2", kind: "trigger", source: "store-a", target: "fn-a" }, /data store cannot trigger a function/],
    [{ id: "e3", kind: "trigger", source: "table-plain", target: "fn-a" }, /has no stream/],
    [{ id: "e4", kind: "trigger", source: "queue-a", target: "queue-fifo" }, /must end at a function/],
    [{ id: "e5", kind: "call", source: "fn-a", target: "queue-a" }, /call joins two functions/],
    [{ id: "e6", kind: "access", source: "fn-a", target: "queue-a" }, /not a data store/],
    [{ id: "e7", kind: "trigger", source: "sns-a", target: "fn-a", type: "consumer-lag", lagThreshold: 10 }, /consumer-lag trigger needs/],
    [{ id: "e8", kind: "call", source: "fn-a", target: "fn-a" }, /cannot connect to itself/],
    [{ id: "e9", kind: "produce", source: "route-a", target: "queue-a" }, /does not send messages/],
  ];
  for (const [edge, reason] of cases) {
    const d = doc((x) => x.edges.push(edge));
    const problems = checkIntegrity(d);
    assert.equal(problems.length, 1, JSON.stringify(edge));
    assert.equal(problems[0].code, "TOPO-E013");
    assert.match(problems[0].message, reason);
    assert.ok(problems[0].fix);
  }
});

test("the bucket → Kafka fix explains what S3 can publish to", () => {
  const check = checkConnection(node("bucket-a"), node("kafka-a"), "produce");
  assert.equal(check.ok, false);
  if (!check.ok) assert.match(check.fix, /queue, SNS topic or event bus/);
});

test("a setting that does not apply to its source is TOPO-E014", () => {
  const d = doc((x) => x.edges.push({ id: "e-sns", kind: "trigger", source: "sns-a", target: "fn-a", batchSize: 10 }));
  const problems = checkIntegrity(d);
  assert.equal(problems.length, 1);
  assert.equal(problems[0].code, "TOPO-E014");
  assert.equal(problems[0].path, "edges[0].batchSize");
  assert.match(problems[0].message, /batchSize does not apply to a trigger from an SNS topic/);
});

test("TOPO-E014: SQS has no starting position, Kafka no parallelization, lag triggers no batch size", () => {
  assert.deepEqual(inapplicableTriggerSettings(trigger("queue-a", "fn-a", { startingPosition: "LATEST", batchSize: 5 }), "queue"), ["startingPosition"]);
  assert.deepEqual(inapplicableTriggerSettings(trigger("kafka-a", "fn-a", { parallelizationFactor: 2, consumerGroupId: "g" }), "kafka-topic"), ["parallelizationFactor"]);
  assert.deepEqual(inapplicableTriggerSettings(trigger("kafka-a", "fn-a", { type: "consumer-lag", lagThreshold: 10, batchSize: 10, consumerGroupId: "g" }), "kafka-topic"), ["batchSize"]);
  // A consumer group only means something on Kafka.
  assert.deepEqual(inapplicableTriggerSettings(trigger("queue-a", "fn-a", { type: "consumer-lag", lagThreshold: 10, consumerGroupId: "g" }), "queue"), ["consumerGroupId"]);
  assert.deepEqual(inapplicableTriggerSettings(trigger("queue-a", "fn-a", { consumerGroupId: "g" }), "queue"), ["consumerGroupId"]);
  assert.deepEqual(inapplicableTriggerSettings(trigger("bus-a", "fn-a", { eventPattern: "{}", input: "{}" }), "event-bus"), []);
});

test("every trigger source accepts every setting listed for it in TRIGGER_SETTINGS", () => {
  const sample: Record<string, unknown> = {
    batchSize: 10,
    maximumBatchingWindowSeconds: 1,
    startingPosition: "TRIM_HORIZON",
    startingPositionTimestamp: "2026-01-01T00:00:00Z",
    parallelizationFactor: 2,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 2,
    maximumRecordAgeSeconds: 60,
    tumblingWindowSeconds: 30,
    onFailureDestinationId: "queue-a",
    reportBatchItemFailures: true,
    maximumConcurrency: 2,
    filterCriteria: { patterns: ["{}"] },
    consumerGroupId: "g",
    eventPattern: "{}",
    s3Events: ["s3:ObjectCreated:*"],
    s3Filter: { prefix: "in/" },
    snsFilterPolicy: "{}",
    input: "{}",
  };
  for (const [kind, settings] of Object.entries(TRIGGER_SETTINGS)) {
    const edge = trigger(byKind(kind as NodeKind).id, "fn-a", Object.fromEntries(settings.map((k) => [k, sample[k]])));
    assert.deepEqual(inapplicableTriggerSettings(edge, kind as NodeKind), [], kind);
  }
});

test("destination references to missing or unsuitable nodes are TOPO-E015", () => {
  const d = doc((x) => {
    x.nodes.push(
      { id: "fn-dlq-missing", kind: "function", name: "Dlq missing", deadLetterQueueId: "queue-nowhere" },
      { id: "fn-dlq-table", kind: "function", name: "Dlq table", deadLetterQueueId: "table-a" },
      { id: "fn-dest-bucket", kind: "function", name: "Dest bucket", asyncInvoke: { onFailureDestinationId: "bucket-a" } },
      { id: "queue-redrive-fn", kind: "queue", name: "Redrive fn", redrive: { deadLetterQueueId: "fn-a", maxReceiveCount: 5 } },
      { id: "queue-self", kind: "queue", name: "Self", redrive: { deadLetterQueueId: "queue-self", maxReceiveCount: 5 } },
    );
    x.edges.push({ id: "e-stream", kind: "trigger", source: "stream-a", target: "fn-b", onFailureDestinationId: "bus-a" });
  });
  const problems = checkIntegrity(d);
  assert.ok(problems.every((p) => p.code === "TOPO-E015"), JSON.stringify(problems));
  assert.deepEqual(problems.map((p) => p.elementId).sort(), ["e-stream", "fn-dest-bucket", "fn-dlq-missing", "fn-dlq-table", "queue-redrive-fn", "queue-self"]);
  assert.match(problems.find((p) => p.elementId === "fn-dlq-missing")!.message, /does not exist/);
  assert.match(problems.find((p) => p.elementId === "fn-dlq-table")!.message, /DynamoDB table/);
  assert.match(problems.find((p) => p.elementId === "queue-self")!.message, /redrives into itself/);
  assert.equal(problems.find((p) => p.elementId === "e-stream")!.path, "edges[0].onFailureDestinationId");
});

test("a FIFO queue with a standard DLQ (and the reverse) is TOPO-E015", () => {
  const d = doc((x) => {
    x.nodes.push(
      { id: "queue-f", kind: "queue", name: "F", fifo: true, redrive: { deadLetterQueueId: "queue-a", maxReceiveCount: 5 } },
      { id: "queue-s", kind: "queue", name: "S", redrive: { deadLetterQueueId: "queue-fifo", maxReceiveCount: 5 } },
      { id: "queue-ok", kind: "queue", name: "Ok", fifo: true, redrive: { deadLetterQueueId: "queue-fifo", maxReceiveCount: 5 } },
    );
  });
  const problems = checkIntegrity(d);
  assert.deepEqual(problems.map((p) => [p.code, p.elementId]), [
    ["TOPO-E015", "queue-f"],
    ["TOPO-E015", "queue-s"],
  ]);
  assert.match(problems[0].message, /is FIFO but its dead-letter queue Queue is standard/);
});

test("valid destinations raise nothing, and deadLetterQueueIds lists the queues used as DLQs", () => {
  const d = doc((x) => {
    x.nodes.push(
      { id: "queue-dlq", kind: "queue", name: "Dlq" },
      { id: "queue-main", kind: "queue", name: "Main", redrive: { deadLetterQueueId: "queue-dlq", maxReceiveCount: 5 } },
      { id: "fn-c", kind: "function", name: "C", deadLetterQueueId: "sns-a", asyncInvoke: { onSuccessDestinationId: "fn-a", onFailureDestinationId: "queue-a" } },
    );
    x.edges.push({ id: "e-k", kind: "trigger", source: "kafka-a", target: "fn-b", consumerGroupId: "g", onFailureDestinationId: "bucket-a" });
  });
  assert.deepEqual(checkIntegrity(d), []);
  assert.deepEqual([...deadLetterQueueIds(d)].sort(), ["queue-a", "queue-dlq"]);
});

// ---- inferEdgeKind -------------------------------------------------------------------------

test("inferEdgeKind: function → function is a call", () => {
  assert.deepEqual(inferEdgeKind(node("fn-a"), node("fn-b")), { ok: true, kind: "call" });
});

test("inferEdgeKind: every trigger source → function is a trigger (table only with a stream)", () => {
  for (const id of ["route-a", "queue-a", "stream-a", "table-a", "kafka-a", "sns-a", "bus-a", "schedule-a", "bucket-a"])
    assert.deepEqual(inferEdgeKind(node(id), node("fn-a")), { ok: true, kind: "trigger" }, id);
  for (const id of ["table-plain", "store-a", "ext-a"]) {
    const r = inferEdgeKind(node(id), node("fn-a"));
    assert.equal(r.ok, false, id);
    if (!r.ok) assert.equal(r.code, "TOPO-E013");
  }
});

test("inferEdgeKind: function → table, bucket or data store is access", () => {
  for (const id of ["table-a", "table-plain", "bucket-a", "store-a"]) assert.deepEqual(inferEdgeKind(node("fn-a"), node(id)), { ok: true, kind: "access" }, id);
});

test("inferEdgeKind: everything else follows PRODUCE_TARGETS exactly", () => {
  for (const sourceKind of NODE_KINDS) {
    for (const targetKind of NODE_KINDS) {
      if (targetKind === "function") continue;
      if (sourceKind === "function" && ["table", "bucket", "data-store"].includes(targetKind)) continue;
      const s = byKind(sourceKind);
      let t = byKind(targetKind);
      if (s.id === t.id) t = targetKind === "queue" ? node("queue-fifo") : t;
      if (s.id === t.id) continue;
      const expected = (PRODUCE_TARGETS[sourceKind] ?? []).includes(targetKind);
      const r = inferEdgeKind(s, t);
      assert.equal(r.ok, expected, `${sourceKind} → ${targetKind}`);
      if (r.ok) assert.equal(r.kind, "produce");
      else assert.equal(r.code, "TOPO-E013");
    }
  }
});

test("checkConnection: consumer-lag triggers start at a Kafka topic, stream or queue", () => {
  for (const id of ["kafka-a", "stream-a", "queue-a"]) assert.equal(checkConnection(node(id), node("fn-a"), "trigger", "consumer-lag").ok, true, id);
  for (const id of ["sns-a", "table-a", "bus-a"]) assert.equal(checkConnection(node(id), node("fn-a"), "trigger", "consumer-lag").ok, false, id);
});

// ---- effectiveTrigger ----------------------------------------------------------------------

test("effectiveTrigger fills AWS defaults per source kind", () => {
  const sqs = effectiveTrigger(trigger("queue-a", "fn-a"), node("queue-a"));
  assert.equal(sqs.batchSize, 10);
  assert.equal(sqs.maximumBatchingWindowSeconds, 0);
  assert.equal(sqs.reportBatchItemFailures, false);
  assert.equal(sqs.startingPosition, undefined);

  const kinesis = effectiveTrigger(trigger("stream-a", "fn-a"), node("stream-a"));
  assert.equal(kinesis.batchSize, 100);
  assert.equal(kinesis.maximumBatchingWindowSeconds, 0);
  assert.equal(kinesis.startingPosition, "LATEST");
  assert.equal(kinesis.parallelizationFactor, 1);
  assert.equal(kinesis.maximumRetryAttempts, -1);
  assert.equal(kinesis.maximumRecordAgeSeconds, -1);
  assert.equal(kinesis.bisectBatchOnFunctionError, false);

  assert.equal(effectiveTrigger(trigger("table-a", "fn-a"), node("table-a")).batchSize, 100);

  const kafka = effectiveTrigger(trigger("kafka-a", "fn-a"), node("kafka-a"));
  assert.equal(kafka.batchSize, 100);
  assert.equal(kafka.maximumBatchingWindowSeconds, 0.5);
  assert.equal(kafka.parallelizationFactor, undefined);
  assert.equal(kafka.maximumBatchingWindowSeconds, LIMITS.trigger.maximumBatchingWindowSeconds.defaultKafka);
});

test("effectiveTrigger keeps explicit values and is empty for push sources and lag triggers", () => {
  const t = effectiveTrigger(trigger("queue-a", "fn-a", { batchSize: 3, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true }), node("queue-a"));
  assert.deepEqual(t, { batchSize: 3, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true });
  assert.deepEqual(effectiveTrigger(trigger("sns-a", "fn-a"), node("sns-a")), {});
  assert.deepEqual(effectiveTrigger(trigger("schedule-a", "fn-a"), node("schedule-a")), {});
  assert.deepEqual(effectiveTrigger(trigger("kafka-a", "fn-a", { type: "consumer-lag", lagThreshold: 5 }), node("kafka-a")), {});
});
