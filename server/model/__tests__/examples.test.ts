import { test } from "node:test";
import assert from "node:assert/strict";
import { EXAMPLES } from "../examples/index";
import { effectiveTrigger, indexTopology, isKind } from "../graph";
import { LIMITS } from "../limits";
import { TopologySchema, type Topology } from "../schema";
import { validateTopology, validateTopologyText } from "../validate";

const PREFIX: Record<string, string> = {
  function: "fn-",
  "http-route": "route-",
  queue: "queue-",
  stream: "stream-",
  table: "table-",
  "kafka-topic": "kafka-",
  "sns-topic": "sns-",
  "event-bus": "bus-",
  schedule: "schedule-",
  bucket: "bucket-",
  "data-store": "store-",
  external: "ext-",
};

test("EXAMPLES lists orders, chocolate-box and kafka-consumers in that order", () => {
  assert.deepEqual(
    EXAMPLES.map((e) => e.slug),
    ["orders", "chocolate-box", "kafka-consumers"],
  );
  assert.deepEqual(
    EXAMPLES.map((e) => e.topology.name),
    ["Orders", "Chocolate box subscription", "Kafka consumers"],
  );
});

for (const { slug, topology } of EXAMPLES) {
  test(`${slug}: validates with zero problems`, () => {
    const r = validateTopology(topology);
    assert.deepEqual(r.problems, []);
    assert.equal(r.ok, true);
  });

  test(`${slug}: round-trips through JSON`, () => {
    const text = JSON.stringify(topology);
    const r = validateTopologyText(text);
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    if (!r.ok) return;
    assert.deepStrictEqual(r.topology, topology);
    assert.equal(JSON.stringify(r.topology), text);
    // Parsing an already-parsed document changes nothing.
    assert.deepStrictEqual(TopologySchema.parse(topology), topology);
  });

  test(`${slug}: ids follow the ids.ts conventions`, () => {
    for (const c of topology.contexts) assert.match(c.id, /^ctx-/);
    for (const n of topology.nodes) assert.ok(n.id.startsWith(PREFIX[n.kind]), `${n.id} (${n.kind})`);
    for (const e of topology.edges) assert.equal(e.id, `e-${e.source}--${e.target}`);
  });

  test(`${slug}: has a description citing its seed`, () => {
    assert.match(topology.description ?? "", /seed 00[0-3]/);
  });

  test(`${slug}: contexts have a box and each node sits inside its own context's box`, () => {
    const idx = indexTopology(topology);
    for (const c of topology.contexts) {
      assert.ok(c.position && c.size, `${c.id} needs position and size`);
      assert.ok(topology.nodes.some((n) => n.contextId === c.id), `${c.id} is empty`);
    }
    for (const n of topology.nodes) {
      assert.ok(n.position, `${n.id} has no position`);
      const c = n.contextId ? idx.contexts.get(n.contextId) : undefined;
      const inside = (b: NonNullable<typeof c>) =>
        n.position!.x >= b.position!.x && n.position!.x < b.position!.x + b.size!.width && n.position!.y >= b.position!.y && n.position!.y < b.position!.y + b.size!.height;
      if (c) assert.ok(inside(c), `${n.id} is outside ${c.id}`);
      // Shared and external elements are drawn outside every box.
      else for (const other of topology.contexts) assert.ok(!inside(other), `${n.id} has no context but is drawn inside ${other.id}`);
    }
    const seen = new Set<string>();
    for (const n of topology.nodes) {
      const key = `${n.position!.x},${n.position!.y}`;
      assert.ok(!seen.has(key), `${n.id} overlaps another node`);
      seen.add(key);
    }
  });

  test(`${slug}: follows the AWS design guidance`, () => {
    assert.deepEqual(designFindings(topology), []);
  });

  test(`${slug}: every function can run in the sandbox with a realistic configuration`, () => {
    for (const n of topology.nodes) {
      if (!isKind(n, "function")) continue;
      assert.ok(n.simulate, `${n.id} has no simulate block`);
      assert.ok(n.simulate.failureRate > 0 ? n.simulate.failureRate <= 0.05 : true, `${n.id} fails too often`);
      assert.ok(n.simulate.poisonMarker, `${n.id} has no poison marker`);
      assert.ok(n.memoryMb >= 128 && n.memoryMb <= 10_240);
      assert.ok(n.timeoutSeconds >= 1 && n.timeoutSeconds <= 900);
      assert.ok(n.codeUri, `${n.id} has no codeUri`);
    }
  });
}

test("the examples together show every feature the seeds ask for", () => {
  const all = EXAMPLES.flatMap((e) => e.topology.edges.map((edge) => ({ edge, doc: e.topology })));
  const nodeOf = (doc: Topology, id: string) => doc.nodes.find((n) => n.id === id)!;
  assert.ok(all.some(({ edge }) => edge.kind === "trigger" && edge.type === "consumer-lag"), "consumer-lag trigger");
  assert.ok(all.some(({ edge }) => edge.kind === "call" && edge.mode === "async"), "async call");
  assert.ok(all.some(({ edge, doc }) => edge.kind === "trigger" && nodeOf(doc, edge.source).kind === "kafka-topic" && edge.type === "event"), "Kafka listener");
  assert.ok(all.some(({ edge, doc }) => edge.kind === "trigger" && nodeOf(doc, edge.source).kind === "table"), "table stream trigger");
  assert.ok(all.some(({ edge, doc }) => edge.kind === "trigger" && nodeOf(doc, edge.source).kind === "schedule"), "schedule");
  assert.ok(all.some(({ edge, doc }) => edge.kind === "trigger" && nodeOf(doc, edge.source).kind === "event-bus"), "event bus rule");
  const webhooks = EXAMPLES.flatMap((e) => e.topology.nodes).filter((n) => n.kind === "http-route" && n.webhook);
  assert.ok(webhooks.length >= 2, "form and payment webhooks");
});

// ---------------------------------------------------------------------------------------------
// The design guidance the examples must model, checked here so an edit cannot quietly break it.
// (The design rules in server/rules/ are the product's version of these checks; this is the
// examples' own contract.)
// ---------------------------------------------------------------------------------------------

function designFindings(doc: Topology): string[] {
  const out: string[] = [];
  const idx = indexTopology(doc);
  const T = LIMITS.trigger;

  for (const n of doc.nodes) {
    if (n.kind === "function") {
      if (n.reservedConcurrency === 0) out.push(`${n.id}: reserved concurrency 0 throttles everything`);
      const async = (idx.incoming.get(n.id) ?? []).some(
        (e) =>
          (e.kind === "call" && e.mode === "async") ||
          (e.kind === "trigger" && (e.type === "consumer-lag" || ["bucket", "sns-topic", "event-bus", "schedule"].includes(idx.nodes.get(e.source)!.kind))),
      );
      if (async && !n.deadLetterQueueId && !n.asyncInvoke?.onFailureDestinationId) out.push(`${n.id}: asynchronous path without a DLQ or on-failure destination`);
      if (n.asyncInvoke) {
        const r = LIMITS.asyncInvoke;
        if (n.asyncInvoke.maximumRetryAttempts < r.maximumRetryAttempts.min || n.asyncInvoke.maximumRetryAttempts > r.maximumRetryAttempts.max) out.push(`${n.id}: async retries out of range`);
        if (n.asyncInvoke.maximumEventAgeSeconds < r.maximumEventAgeSeconds.min || n.asyncInvoke.maximumEventAgeSeconds > r.maximumEventAgeSeconds.max) out.push(`${n.id}: async event age out of range`);
      }
    }
    if (n.kind === "queue") {
      if (n.redrive) {
        if (n.redrive.maxReceiveCount < LIMITS.queue.maxReceiveCount.recommendedMin) out.push(`${n.id}: maxReceiveCount below 5`);
        const dlq = idx.nodes.get(n.redrive.deadLetterQueueId);
        if (dlq?.kind === "queue" && dlq.messageRetentionSeconds < n.messageRetentionSeconds) out.push(`${n.id}: DLQ keeps messages for less time than the source`);
      }
      const r = LIMITS.queue.messageRetentionSeconds;
      if (n.messageRetentionSeconds < r.min || n.messageRetentionSeconds > r.max) out.push(`${n.id}: retention out of range`);
    }
  }

  for (const e of doc.edges) {
    const source = idx.nodes.get(e.source)!;
    const target = idx.nodes.get(e.target)!;
    const crossing = source.contextId !== undefined && target.contextId !== undefined && source.contextId !== target.contextId;
    if (e.kind === "access" && target.contextId !== source.contextId) out.push(`${e.id}: ${source.id} reaches the data store of another context`);
    if (e.kind === "call" && crossing) out.push(`${e.id}: direct call across contexts`);
    if (e.kind === "trigger" && source.contextId !== target.contextId && "published" in source && !source.published)
      out.push(`${e.id}: ${source.id} is consumed by another context but not published`);
    if (e.kind === "produce" && crossing && "published" in target && !target.published) out.push(`${e.id}: writes into another context's private channel`);
    if (e.kind !== "trigger") continue;

    if (e.type === "consumer-lag") {
      if (!e.lagThreshold || !e.lagCheckIntervalSeconds) out.push(`${e.id}: consumer-lag trigger without threshold and interval`);
      if (e.lagCheckIntervalSeconds !== undefined && (e.lagCheckIntervalSeconds < T.lagCheckIntervalSeconds.min || e.lagCheckIntervalSeconds > T.lagCheckIntervalSeconds.max))
        out.push(`${e.id}: lag check interval out of range`);
      if (source.kind === "kafka-topic" && !e.consumerGroupId) out.push(`${e.id}: Kafka lag trigger without consumer group`);
      continue;
    }
    const eff = effectiveTrigger(e, source);
    if (source.kind === "queue" && target.kind === "function") {
      const needed = 6 * target.timeoutSeconds + (eff.maximumBatchingWindowSeconds ?? 0);
      if (source.visibilityTimeoutSeconds < needed) out.push(`${e.id}: visibility timeout ${source.visibilityTimeoutSeconds} s < ${needed} s`);
      if ((eff.batchSize ?? 1) > 1 && !eff.reportBatchItemFailures) out.push(`${e.id}: SQS batch without reportBatchItemFailures`);
      if (!source.redrive) out.push(`${e.id}: consumed queue without a redrive policy`);
      if (e.maximumConcurrency !== undefined && (e.maximumConcurrency < T.maximumConcurrency.min || e.maximumConcurrency > T.maximumConcurrency.max)) out.push(`${e.id}: maximumConcurrency out of range`);
    }
    if (["queue", "stream", "table"].includes(source.kind) && (eff.batchSize ?? 0) > T.batchSizeNeedingWindow && (eff.maximumBatchingWindowSeconds ?? 0) < 1)
      out.push(`${e.id}: batch size > 10 needs a batching window ≥ 1 s`);
    if (["stream", "table", "kafka-topic"].includes(source.kind)) {
      if (!eff.bisectBatchOnFunctionError && !e.onFailureDestinationId) out.push(`${e.id}: stream trigger without bisect or on-failure destination`);
      if (eff.maximumRetryAttempts === -1) out.push(`${e.id}: stream trigger retries forever`);
    }
    if (source.kind === "kafka-topic" && !e.consumerGroupId) out.push(`${e.id}: Kafka trigger without an explicit consumer group`);
    if (eff.batchSize !== undefined) {
      const limit = source.kind === "queue" ? (source.fifo ? T.batchSize.sqsFifo : T.batchSize.sqs) : source.kind === "kafka-topic" ? T.batchSize.kafka : T.batchSize.stream;
      if (eff.batchSize < limit.min || eff.batchSize > limit.max) out.push(`${e.id}: batch size out of range`);
    }
  }
  return out;
}

test("the design-guidance check itself catches a bad queue trigger", () => {
  const [orders] = EXAMPLES;
  const bad = structuredClone(orders.topology);
  const q = bad.nodes.find((n) => n.id === "queue-order-events");
  assert.ok(q && q.kind === "queue");
  q.visibilityTimeoutSeconds = 30;
  const t = bad.edges.find((e) => e.id === "e-queue-order-events--fn-ship-order");
  assert.ok(t && t.kind === "trigger");
  t.reportBatchItemFailures = undefined;
  const findings = designFindings(bad);
  assert.ok(findings.some((f) => /visibility timeout 30 s < 180 s/.test(f)));
  assert.ok(findings.some((f) => /reportBatchItemFailures/.test(f)));
});
