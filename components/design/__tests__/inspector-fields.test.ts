import { test } from "node:test";
import assert from "node:assert/strict";
import { kafkaConsumersTopology, ordersTopology } from "../../../server/model/examples/index";
import { inspectContext, inspectEdge, inspectNode, inspectReference, labelOf } from "../inspector-fields";
import { topologyToFlow } from "../to-flow";

const field = (fields: { key: string }[], key: string) => {
  const f = fields.find((x) => x.key === key);
  assert.ok(f, `no row ${key}`);
  return f as ReturnType<typeof inspectNode>["fields"][number];
};

test("labelOf turns field names into words and units", () => {
  assert.deepEqual(labelOf("visibilityTimeoutSeconds"), { label: "Visibility timeout", unit: "s" });
  assert.deepEqual(labelOf("memoryMb"), { label: "Memory", unit: "MB" });
  assert.deepEqual(labelOf("retentionHours"), { label: "Retention", unit: "h" });
  assert.deepEqual(labelOf("deadLetterQueueId"), { label: "Dead letter queue", unit: undefined });
  assert.deepEqual(labelOf("s3Events"), { label: "S3 events", unit: undefined });
});

test("a function's rows: units, the context by name, nested settings, no geometry", () => {
  const fn = ordersTopology.nodes.find((n) => n.id === "fn-order-handler")!;
  const { kindLabel, title, id, fields } = inspectNode(fn, ordersTopology);
  assert.equal(kindLabel, "Function");
  assert.equal(title, "Order handler");
  assert.equal(id, "fn-order-handler");
  assert.equal(field(fields, "memoryMb").label, "Memory");
  assert.equal(field(fields, "memoryMb").unit, "MB");
  assert.equal(field(fields, "memoryMb").value, String(fn.kind === "function" && fn.memoryMb));
  assert.equal(field(fields, "timeoutSeconds").unit, "s");
  assert.match(field(fields, "memoryMb").description ?? "", /Memory in MB/);
  assert.equal(field(fields, "contextId").value, "Orders (ctx-orders)");
  assert.equal(field(fields, "environment.LOG_LEVEL").value, "INFO");
  assert.equal(field(fields, "alias.deploymentPreference").value, "Canary10Percent5Minutes");
  assert.ok(!fields.some((f) => f.key.startsWith("position")));
});

test("a queue's redrive names its DLQ and long durations get a plainer reading", () => {
  const q = ordersTopology.nodes.find((n) => n.id === "queue-order-events")!;
  const { fields } = inspectNode(q, ordersTopology);
  assert.equal(field(fields, "redrive.deadLetterQueueId").value, "Order events DLQ (queue-order-events-dlq)");
  assert.equal(field(fields, "messageRetentionSeconds").hint, "4 d");
  assert.equal(field(fields, "fifo").value, "no");
});

test("a trigger lists what it sets and, marked, the AWS defaults it leaves", () => {
  const e = ordersTopology.edges.find((x) => x.id === "e-queue-order-events--fn-ship-order")!;
  const { kindLabel, title, fields } = inspectEdge(e, ordersTopology);
  assert.equal(kindLabel, "Trigger");
  assert.equal(title, "Order events → Ship order");
  assert.equal(field(fields, "batchSize").isDefault, undefined);
  assert.equal(field(fields, "source").value, "Order events (queue-order-events)");
  const window = field(fields, "maximumBatchingWindowSeconds");
  if (e.kind === "trigger" && e.maximumBatchingWindowSeconds === undefined) {
    assert.equal(window.isDefault, true);
    assert.equal(window.unit, "s");
  }
});

test("a derived on-failure edge says where the reference is declared", () => {
  const flow = topologyToFlow(kafkaConsumersTopology);
  const ref = flow.edges.find((e) => e.id === "e-kafka-purchases--fn-score-purchases~onFailureDestinationId")!;
  assert.equal(ref.data?.origin, "reference");
  if (ref.data?.origin !== "reference") return;
  const { kindLabel, fields } = inspectReference(ref.id, ref.data, ref.source, ref.target, kafkaConsumersTopology);
  assert.equal(kindLabel, "On-failure destination");
  assert.equal(field(fields, "@declaredOn").value, "trigger Purchases → Score purchases (e-kafka-purchases--fn-score-purchases)");
  assert.equal(field(fields, "@target").value, "Loyalty DLQ (queue-loyalty-dlq)");
});

test("a context lists its owner and its nodes", () => {
  const c = ordersTopology.contexts[0];
  const { kindLabel, fields } = inspectContext(c, ordersTopology);
  assert.equal(kindLabel, "Context");
  assert.equal(field(fields, "owner").value, "team-orders");
  assert.match(field(fields, "@nodes").value, /Order handler/);
});
