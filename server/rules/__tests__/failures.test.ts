import { test } from "node:test";
import assert from "node:assert/strict";
import { asyncNoFailureDestination } from "../async-no-failure-destination";
import { dlqRetention } from "../dlq-retention";
import { dlqUnwatched } from "../dlq-unwatched";
import { orphanNode } from "../orphan-node";
import { recursiveLoop } from "../recursive-loop";
import { streamPoisonPill } from "../stream-poison-pill";
import { access, bucket, bus, call, fn, kafka, produce, queue, route, run, schedule, sns, stream, table, topo, trigger } from "./helpers";

test("async-no-failure-destination: one warning per function, naming every async path into it", () => {
  const doc = topo({
    nodes: [fn("caller"), fn("target"), bucket("uploads"), sns("alerts"), bus("events"), schedule("nightly"), fn("other")],
    edges: [call("caller", "target", { mode: "async" }), trigger("uploads", "target"), trigger("alerts", "target"), trigger("events", "other"), trigger("nightly", "other")],
  });
  const found = run(asyncNoFailureDestination, doc);
  assert.equal(found.length, 2);
  assert.deepEqual(found[0].elements, ["target", "call-caller-target", "trigger-uploads-target", "trigger-alerts-target"]);
  assert.match(found[0].message, /"caller" \(async call\), "uploads" \(S3 events\), "alerts" \(SNS\).*after 2 retries/);
  assert.deepEqual(found[1].elements, ["other", "trigger-events-other", "trigger-nightly-other"]);
});

test("async-no-failure-destination: a DLQ or an on-failure destination, sync calls and queue triggers are fine", () => {
  const doc = topo({
    nodes: [
      queue("dlq"),
      fn("with-dlq", { deadLetterQueueId: "dlq" }),
      fn("with-dest", { asyncInvoke: { onFailureDestinationId: "dlq" } }),
      fn("caller"),
      fn("sync-target"),
      queue("jobs"),
      fn("consumer"),
      bucket("uploads"),
    ],
    edges: [call("caller", "with-dlq", { mode: "async" }), trigger("uploads", "with-dest"), call("caller", "sync-target"), trigger("jobs", "consumer")],
  });
  assert.deepEqual(run(asyncNoFailureDestination, doc), []);
});

test("stream-poison-pill: Kinesis, DynamoDB and Kafka triggers on defaults are warnings", () => {
  const doc = topo({
    nodes: [stream("clicks"), table("orders"), kafka("events"), fn("w")],
    edges: [trigger("clicks", "w"), trigger("orders", "w"), trigger("events", "w", { consumerGroupId: "g" })],
  });
  const found = run(streamPoisonPill, doc);
  assert.equal(found.length, 3);
  assert.match(found[0].message, /blocks its shard/);
  assert.match(found[2].message, /blocks its partition/);
});

test("stream-poison-pill: a retry limit, a record age, bisect or an on-failure destination each avoid it; SQS is not concerned", () => {
  const doc = topo({
    nodes: [stream("a"), stream("b"), stream("c"), stream("d"), queue("failed"), queue("jobs"), fn("w")],
    edges: [
      trigger("a", "w", { maximumRetryAttempts: 3 }),
      trigger("b", "w", { maximumRecordAgeSeconds: 3_600 }),
      trigger("c", "w", { bisectBatchOnFunctionError: true }),
      trigger("d", "w", { onFailureDestinationId: "failed" }),
      trigger("jobs", "w"),
    ],
  });
  assert.deepEqual(run(streamPoisonPill, doc), []);
});

test("recursive-loop: function → queue → same function is an error with the loop spelled out", () => {
  const doc = topo({ nodes: [fn("worker"), queue("jobs")], edges: [trigger("jobs", "worker"), produce("worker", "jobs")] });
  const found = run(recursiveLoop, doc);
  assert.equal(found.length, 1);
  assert.equal(found[0].severity, "error");
  assert.match(found[0].message, /^"worker" → "jobs" → "worker" is a loop/);
  assert.deepEqual(found[0].elements.sort(), ["jobs", "produce-worker-jobs", "trigger-jobs-worker", "worker"]);
});

test("recursive-loop: S3 write → bucket event → same function, and a longer loop through SNS, a queue and a call", () => {
  const s3 = topo({ nodes: [fn("thumbnail"), bucket("images")], edges: [trigger("images", "thumbnail"), access("thumbnail", "images", { mode: "write" })] });
  assert.equal(run(recursiveLoop, s3).length, 1);
  const long = topo({
    nodes: [fn("a"), sns("topic"), queue("q"), fn("b")],
    edges: [produce("a", "topic"), produce("topic", "q"), trigger("q", "b"), call("b", "a", { mode: "async" })],
  });
  const found = run(recursiveLoop, long);
  assert.equal(found.length, 1);
  assert.match(found[0].message, /"a" → "topic" → "q" → "b" → "a"/);
});

test("recursive-loop: an async on-success destination feeding the function's own queue is a loop", () => {
  const doc = topo({ nodes: [queue("jobs"), fn("w", { asyncInvoke: { onSuccessDestinationId: "jobs" } })], edges: [trigger("jobs", "w")] });
  assert.equal(run(recursiveLoop, doc).length, 1);
});

test("recursive-loop: filters, disabled triggers, reads, pipelines and pure call cycles are not reported", () => {
  const doc = topo({
    nodes: [
      fn("filtered"), queue("q1"),
      fn("thumb"), bucket("images"),
      fn("off"), queue("q2"),
      fn("reader"), table("orders"),
      fn("p1"), queue("q3"), fn("p2"), queue("q4"),
      fn("c1"), fn("c2"),
      route("api"),
    ],
    edges: [
      trigger("q1", "filtered", { filterCriteria: { patterns: ['{"body":{"kind":["new"]}}'] } }), produce("filtered", "q1"),
      trigger("images", "thumb", { s3Filter: { prefix: "uploads/" } }), access("thumb", "images", { mode: "write" }),
      trigger("q2", "off", { enabled: false }), produce("off", "q2"),
      trigger("orders", "reader"), access("reader", "orders", { mode: "read" }),
      produce("p1", "q3"), trigger("q3", "p2"), produce("p2", "q4"),
      call("c1", "c2"), call("c2", "c1"), trigger("api", "c1"),
    ],
  });
  assert.deepEqual(run(recursiveLoop, doc), []);
});

test("dlq-retention: a DLQ keeping messages no longer than its source is a warning", () => {
  const doc = topo({
    nodes: [
      queue("short-dlq", { messageRetentionSeconds: 86_400 }),
      queue("jobs", { redrive: { deadLetterQueueId: "short-dlq", maxReceiveCount: 5 } }),
      queue("same-dlq"),
      queue("other", { redrive: { deadLetterQueueId: "same-dlq", maxReceiveCount: 5 } }),
    ],
  });
  const found = run(dlqRetention, doc);
  assert.deepEqual(found.map((f) => f.elements), [["short-dlq", "jobs"], ["same-dlq", "other"]]);
  assert.match(found[0].message, /86,400 s, less than its source "jobs" \(345,600 s\)/);
  assert.match(found[1].message, /the same as/);
});

test("dlq-retention: a DLQ keeping messages longer than its source is fine", () => {
  const doc = topo({ nodes: [queue("dlq", { messageRetentionSeconds: 1_209_600 }), queue("jobs", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 5 } })] });
  assert.deepEqual(run(dlqRetention, doc), []);
});

test("dlq-unwatched: a DLQ nothing reads and no alarm tag watches is info", () => {
  const doc = topo({ nodes: [queue("dlq"), fn("w", { deadLetterQueueId: "dlq" })] });
  const found = run(dlqUnwatched, doc);
  assert.deepEqual(found.map((f) => f.elements), [["dlq"]]);
  assert.equal(found[0].severity, "info");
});

test("dlq-unwatched: a DLQ read by a function, watched by a lag trigger or tagged with an alarm is fine", () => {
  const doc = topo({
    nodes: [
      queue("read-dlq"), queue("lag-dlq"), queue("tagged-dlq", { tags: { Alarm: "depth > 0" } }), queue("valued-dlq", { tags: { monitoring: "pager-alarm" } }),
      queue("a", { redrive: { deadLetterQueueId: "read-dlq", maxReceiveCount: 5 } }),
      queue("b", { redrive: { deadLetterQueueId: "lag-dlq", maxReceiveCount: 5 } }),
      queue("c", { redrive: { deadLetterQueueId: "tagged-dlq", maxReceiveCount: 5 } }),
      queue("d", { redrive: { deadLetterQueueId: "valued-dlq", maxReceiveCount: 5 } }),
      fn("replayer"), fn("pager"),
    ],
    edges: [trigger("read-dlq", "replayer"), trigger("lag-dlq", "pager", { type: "consumer-lag", lagThreshold: 1, lagCheckIntervalSeconds: 60 })],
  });
  assert.deepEqual(run(dlqUnwatched, doc), []);
});

test("orphan-node: an unconnected queue and stream, and a function nothing invokes, are warnings", () => {
  const doc = topo({ nodes: [queue("lost"), stream("unused"), fn("idle"), fn("writer"), queue("sink")], edges: [produce("writer", "sink")] });
  const found = run(orphanNode, doc);
  assert.deepEqual(found.map((f) => f.elements[0]), ["lost", "unused", "idle", "writer"]);
  assert.match(found[0].message, /^A queue "lost" has no producer and no consumer/);
});

test("orphan-node: wired channels, DLQs, async destinations and triggered or called functions are fine", () => {
  const doc = topo({
    nodes: [route("api"), fn("front", { asyncInvoke: { onSuccessDestinationId: "after" } }), fn("after"), fn("helper"), queue("dlq"), queue("jobs", { redrive: { deadLetterQueueId: "dlq", maxReceiveCount: 5 } }), fn("w")],
    edges: [trigger("api", "front"), call("front", "helper"), produce("front", "jobs"), trigger("jobs", "w")],
  });
  assert.deepEqual(run(orphanNode, doc), []);
});
