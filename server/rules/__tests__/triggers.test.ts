import { test } from "node:test";
import assert from "node:assert/strict";
import { batchSizeRange } from "../batch-size-range";
import { batchWindowRange } from "../batch-window-range";
import { batchWindowRequired } from "../batch-window-required";
import { fifoBatchSize } from "../fifo-batch-size";
import { fifoBatchWindow } from "../fifo-batch-window";
import { fifoIntegration } from "../fifo-integration";
import { kafkaConsumerGroup } from "../kafka-consumer-group";
import { lagTriggerIncomplete } from "../lag-trigger-incomplete";
import { payloadLimit } from "../payload-limit";
import { queueSettingRange } from "../queue-setting-range";
import { sqsMaxReceiveCount } from "../sqs-max-receive-count";
import { sqsNoDlq } from "../sqs-no-dlq";
import { sqsPartialBatch } from "../sqs-partial-batch";
import { sqsVisibilityTimeout } from "../sqs-visibility-timeout";
import { streamSettingRange } from "../stream-setting-range";
import { triggerSettingRange } from "../trigger-setting-range";
import { bucket, fn, kafka, produce, queue, run, sns, stream, table, topo, trigger } from "./helpers";

const first = (fs: { elements: string[] }[]) => fs.map((f) => f.elements[0]);

test("sqs-visibility-timeout: 30 s visibility for a 10 s function is an error that names the value to use", () => {
  const doc = topo({ nodes: [queue("jobs", { visibilityTimeoutSeconds: 30 }), fn("worker", { timeoutSeconds: 10 })], edges: [trigger("jobs", "worker", { batchSize: 5, maximumBatchingWindowSeconds: 5, reportBatchItemFailures: true })] });
  const found = run(sqsVisibilityTimeout, doc);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "error");
  assert.deepEqual(found[0].elements, ["jobs", "trigger-jobs-worker", "worker"]);
  assert.match(found[0].message, /30 s, below 6 × the timeout of "worker" \(10 s\) \+ its batching window \(5 s\)/);
  assert.match(found[0].fix, /at least 65 s/);
});

test("sqs-visibility-timeout: exactly 6 × timeout + window is fine, and lag triggers hold no messages", () => {
  const doc = topo({
    nodes: [queue("jobs", { visibilityTimeoutSeconds: 18 }), fn("worker"), queue("backlog", { visibilityTimeoutSeconds: 0 }), fn("scaler", { timeoutSeconds: 60 })],
    edges: [trigger("jobs", "worker"), trigger("backlog", "scaler", { type: "consumer-lag", lagThreshold: 100, lagCheckIntervalSeconds: 60 })],
  });
  assert.deepEqual(run(sqsVisibilityTimeout, doc), []);
});

test("sqs-max-receive-count: maxReceiveCount 2 on a Lambda-consumed queue is a warning", () => {
  const doc = topo({ nodes: [queue("dlq"), queue("jobs", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 2 } }), fn("w")], edges: [trigger("jobs", "w")] });
  const found = run(sqsMaxReceiveCount, doc);
  assert.deepEqual(first(found), ["jobs"]);
  assert.equal(found[0].severity, "warning");
});

test("sqs-max-receive-count: 5 or more, no Lambda consumer, or out of range (another rule) is not reported", () => {
  const doc = topo({
    nodes: [
      queue("dlq"),
      queue("ok", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 5 } }),
      queue("unconsumed", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 1 } }),
      queue("zero", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 0 } }),
      fn("w"),
      fn("z"),
    ],
    edges: [trigger("ok", "w"), trigger("zero", "z")],
  });
  assert.deepEqual(run(sqsMaxReceiveCount, doc), []);
});

test("sqs-partial-batch: batch size 10 (default) without partial batch response is a warning", () => {
  const doc = topo({ nodes: [queue("jobs"), fn("w")], edges: [trigger("jobs", "w")] });
  const found = run(sqsPartialBatch, doc);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /batches of up to 10 messages/);
});

test("sqs-partial-batch: batch size 1, or reportBatchItemFailures, is fine", () => {
  const doc = topo({ nodes: [queue("a"), queue("b"), fn("w")], edges: [trigger("a", "w", { batchSize: 1 }), trigger("b", "w", { reportBatchItemFailures: true })] });
  assert.deepEqual(run(sqsPartialBatch, doc), []);
});

test("sqs-no-dlq: a Lambda-consumed queue without redrive is a warning", () => {
  const doc = topo({ nodes: [queue("jobs", { fifo: true }), fn("w")], edges: [trigger("jobs", "w")] });
  const found = run(sqsNoDlq, doc);
  assert.deepEqual(first(found), ["jobs"]);
  assert.match(found[0].message, /blocking its message group/);
});

test("sqs-no-dlq: a queue with redrive, and a DLQ consumed by a function, are fine", () => {
  const doc = topo({
    nodes: [queue("dlq"), queue("jobs", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 5 } }), fn("w"), fn("replayer")],
    edges: [trigger("jobs", "w"), trigger("dlq", "replayer")],
  });
  assert.deepEqual(run(sqsNoDlq, doc), []);
});

test("batch-window-required: SQS batch size 100 with no window is an error", () => {
  const doc = topo({ nodes: [queue("jobs"), fn("w")], edges: [trigger("jobs", "w", { batchSize: 100 })] });
  const found = run(batchWindowRequired, doc);
  assert.deepEqual(first(found), ["trigger-jobs-w"]);
  assert.match(found[0].message, /batch size 100 with a batching window of 0 s/);
});

test("batch-window-required: a 1 s window, batch size 10, and Kinesis defaults (100, window 0) are fine", () => {
  const doc = topo({
    nodes: [queue("a"), queue("b"), stream("clicks"), fn("w")],
    edges: [trigger("a", "w", { batchSize: 100, maximumBatchingWindowSeconds: 1 }), trigger("b", "w", { batchSize: 10 }), trigger("clicks", "w")],
  });
  assert.deepEqual(run(batchWindowRequired, doc), []);
});

test("fifo-batch-size: batch size 20 on a FIFO queue is an error", () => {
  const doc = topo({ nodes: [queue("orders", { fifo: true }), fn("w")], edges: [trigger("orders", "w", { batchSize: 20 })] });
  const found = run(fifoBatchSize, doc);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /FIFO queues allow at most 10/);
});

test("fifo-batch-size: 10 on FIFO and 20 on a standard queue are not this rule's concern", () => {
  const doc = topo({ nodes: [queue("orders", { fifo: true }), queue("std"), fn("w")], edges: [trigger("orders", "w", { batchSize: 10 }), trigger("std", "w", { batchSize: 20, maximumBatchingWindowSeconds: 1 })] });
  assert.deepEqual(run(fifoBatchSize, doc), []);
});

test("fifo-batch-window: a batching window on a FIFO queue trigger is an error", () => {
  const doc = topo({ nodes: [queue("orders", { fifo: true }), fn("w")], edges: [trigger("orders", "w", { maximumBatchingWindowSeconds: 5 })] });
  assert.equal(run(fifoBatchWindow, doc).length, 1);
});

test("fifo-batch-window: no window (or 0) on FIFO, and a window on a standard queue, are fine", () => {
  const doc = topo({ nodes: [queue("orders", { fifo: true }), queue("std"), fn("w")], edges: [trigger("orders", "w", { maximumBatchingWindowSeconds: 0 }), trigger("std", "w", { maximumBatchingWindowSeconds: 5 })] });
  assert.deepEqual(run(fifoBatchWindow, doc), []);
});

test("fifo-integration: Lambda on an SNS FIFO topic and S3 events into a FIFO queue are errors", () => {
  const doc = topo({
    nodes: [sns("orders-topic", { fifo: true }), fn("w"), bucket("uploads"), queue("uploads-queue", { fifo: true })],
    edges: [trigger("orders-topic", "w"), produce("uploads", "uploads-queue")],
  });
  const found = run(fifoIntegration, doc);
  assert.deepEqual(first(found), ["trigger-orders-topic-w", "produce-uploads-uploads-queue"]);
  assert.match(found[0].message, /SNS FIFO topics deliver to SQS queues only/);
});

test("fifo-integration: SNS FIFO into a FIFO queue, and standard topics into Lambda, are fine", () => {
  const doc = topo({
    nodes: [sns("orders-topic", { fifo: true }), queue("orders-queue", { fifo: true }), sns("std-topic"), fn("w"), bucket("uploads"), queue("uploads-queue")],
    edges: [produce("orders-topic", "orders-queue"), trigger("std-topic", "w"), produce("uploads", "uploads-queue")],
  });
  assert.deepEqual(run(fifoIntegration, doc), []);
});

test("batch-size-range: 0 on SQS and 20,000 on Kinesis are errors", () => {
  const doc = topo({ nodes: [queue("jobs"), stream("clicks"), fn("w")], edges: [trigger("jobs", "w", { batchSize: 0 }), trigger("clicks", "w", { batchSize: 20_000, maximumBatchingWindowSeconds: 1 })] });
  const found = run(batchSizeRange, doc);
  assert.deepEqual(first(found), ["trigger-jobs-w", "trigger-clicks-w"]);
  assert.match(found[1].message, /batch size 20,000; this source accepts 1–10,000/);
});

test("batch-size-range: 10,000 on a DynamoDB stream and 1 on Kafka are fine; FIFO's max is fifo-batch-size's job", () => {
  const doc = topo({
    nodes: [table("orders"), kafka("events"), queue("fifo", { fifo: true }), fn("w")],
    edges: [trigger("orders", "w", { batchSize: 10_000 }), trigger("events", "w", { batchSize: 1, consumerGroupId: "g" }), trigger("fifo", "w", { batchSize: 50 })],
  });
  assert.deepEqual(run(batchSizeRange, doc), []);
});

test("batch-window-range: a 301 s window is an error", () => {
  const doc = topo({ nodes: [stream("clicks"), fn("w")], edges: [trigger("clicks", "w", { maximumBatchingWindowSeconds: 301 })] });
  assert.equal(run(batchWindowRange, doc).length, 1);
});

test("batch-window-range: 0 and 300 s are fine", () => {
  const doc = topo({ nodes: [stream("a"), queue("b"), fn("w")], edges: [trigger("a", "w", { maximumBatchingWindowSeconds: 300 }), trigger("b", "w", { maximumBatchingWindowSeconds: 0 })] });
  assert.deepEqual(run(batchWindowRange, doc), []);
});

test("trigger-setting-range: parallelization 11, record age 30 s and max concurrency 1 are errors", () => {
  const doc = topo({
    nodes: [stream("clicks"), queue("jobs"), fn("w")],
    edges: [trigger("clicks", "w", { parallelizationFactor: 11, maximumRecordAgeSeconds: 30 }), trigger("jobs", "w", { maximumConcurrency: 1 })],
  });
  const found = run(triggerSettingRange, doc);
  assert.deepEqual(first(found), ["trigger-clicks-w", "trigger-jobs-w"]);
  assert.match(found[0].message, /parallelization factor 11 .*maximum record age 30 s \(accepted: −1, or 60–604,800 s\)/);
});

test("trigger-setting-range: a lag threshold of 0 and a 10 s check interval are errors", () => {
  const doc = topo({ nodes: [kafka("events"), fn("w")], edges: [trigger("events", "w", { type: "consumer-lag", lagThreshold: 0, lagCheckIntervalSeconds: 10 })] });
  const found = run(triggerSettingRange, doc);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /lag check interval 10 s.*lag threshold 0/);
});

test("trigger-setting-range: −1 record age, 10,000 retries and in-range settings are fine", () => {
  const doc = topo({
    nodes: [stream("clicks"), queue("jobs"), fn("w")],
    edges: [trigger("clicks", "w", { maximumRecordAgeSeconds: -1, maximumRetryAttempts: 10_000, parallelizationFactor: 10, tumblingWindowSeconds: 900 }), trigger("jobs", "w", { maximumConcurrency: 2 })],
  });
  assert.deepEqual(run(triggerSettingRange, doc), []);
});

test("queue-setting-range: visibility 50,000 s, retention 30 s and maxReceiveCount 0 are errors", () => {
  const doc = topo({ nodes: [queue("dlq"), queue("bad", { visibilityTimeoutSeconds: 50_000, messageRetentionSeconds: 30, redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 0 } })] });
  const found = run(queueSettingRange, doc);
  assert.deepEqual(first(found), ["bad"]);
  assert.match(found[0].message, /visibility timeout 50,000 s.*retention 30 s.*maxReceiveCount 0/);
});

test("queue-setting-range: defaults and the bounds are fine", () => {
  const doc = topo({ nodes: [queue("a"), queue("b", { visibilityTimeoutSeconds: 43_200, messageRetentionSeconds: 1_209_600, delaySeconds: 900, maxMessageSizeBytes: 1_024 })] });
  assert.deepEqual(run(queueSettingRange, doc), []);
});

test("stream-setting-range: 0 shards, 12 h retention and 0 Kafka partitions are errors", () => {
  const doc = topo({ nodes: [stream("s", { shardCount: 0, retentionHours: 12 }), kafka("k", { partitions: 0 })] });
  assert.deepEqual(first(run(streamSettingRange, doc)), ["s", "k"]);
});

test("stream-setting-range: defaults are fine, and on-demand streams ignore the shard count", () => {
  const doc = topo({ nodes: [stream("s"), stream("od", { mode: "on-demand", shardCount: 0 }), kafka("k")] });
  assert.deepEqual(run(streamSettingRange, doc), []);
});

test("payload-limit: SQS batches of 100 × 256 KB and stream batches of 100 × 1 MB (declared by a producer) are warnings", () => {
  const doc = topo({
    nodes: [queue("jobs"), stream("clicks", { maxRecordSizeBytes: 1_024 }), fn("p"), fn("w")],
    edges: [trigger("jobs", "w", { batchSize: 100, maximumBatchingWindowSeconds: 1 }), produce("p", "clicks", { maxRecordSizeBytes: 1_048_576 }), trigger("clicks", "w")],
  });
  const found = run(payloadLimit, doc);
  assert.deepEqual(first(found), ["trigger-jobs-w", "trigger-clicks-w"]);
  assert.match(found[0].message, /100 × 256 KB = 25 MB, above the 6 MB/);
  assert.match(found[0].fix, /batch size to 24 or less/);
  assert.match(found[1].message, /100 × 1 MB = 100 MB/);
});

test("payload-limit: default SQS batches and streams with no declared size are fine", () => {
  const doc = topo({ nodes: [queue("jobs"), stream("clicks"), table("orders", { maxRecordSizeBytes: 4_096 }), fn("w")], edges: [trigger("jobs", "w"), trigger("clicks", "w"), trigger("orders", "w")] });
  assert.deepEqual(run(payloadLimit, doc), []);
});

test("kafka-consumer-group: a Kafka trigger without consumerGroupId is info", () => {
  const doc = topo({ nodes: [kafka("events"), fn("w")], edges: [trigger("events", "w")] });
  const found = run(kafkaConsumerGroup, doc);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "info");
});

test("kafka-consumer-group: an explicit group id, or a non-Kafka source, is fine", () => {
  const doc = topo({ nodes: [kafka("events"), stream("clicks"), fn("w")], edges: [trigger("events", "w", { consumerGroupId: "billing-w" }), trigger("clicks", "w")] });
  assert.deepEqual(run(kafkaConsumerGroup, doc), []);
});

test("lag-trigger-incomplete: a consumer-lag trigger without a threshold is an error", () => {
  const doc = topo({ nodes: [kafka("events"), fn("w")], edges: [trigger("events", "w", { type: "consumer-lag", lagCheckIntervalSeconds: 60 })] });
  const found = run(lagTriggerIncomplete, doc);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /no lag threshold/);
  assert.doesNotMatch(found[0].message, /check interval/);
});

test("lag-trigger-incomplete: a complete lag trigger and plain event triggers are fine", () => {
  const doc = topo({
    nodes: [kafka("events"), queue("jobs"), fn("w")],
    edges: [trigger("events", "w", { type: "consumer-lag", lagThreshold: 1_000, lagCheckIntervalSeconds: 60 }), trigger("jobs", "w")],
  });
  assert.deepEqual(run(lagTriggerIncomplete, doc), []);
});
