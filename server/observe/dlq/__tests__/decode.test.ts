/** The failure records Lambda writes, decoded; bodies kept as text; the DLQs of a topology found from the model. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { TopoError } from "../../../errors";
import { TopologySchema } from "../../../model/schema";
import { decodeDeadLetter, decodeFailure, oldestAgeSeconds, parseJsonBody } from "../decode";
import { getDeadLetterQueueOrThrow, listDeadLetterQueues, resolveRedriveTarget } from "../model";
import { dlqTopology } from "./helpers";

test("async on-failure destination record (AWS's example): condition, function, error", () => {
  const body = JSON.stringify({
    version: "1.0",
    timestamp: "2019-11-14T18:16:05.568Z",
    requestContext: { requestId: "e4b46cbf-b738-xmpl-8880-a18cdf61200e", functionArn: "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST", condition: "RetriesExhausted", approximateInvokeCount: 3 },
    requestPayload: { ORDER_IDS: ["9e07af03-ce31-4ff3-xmpl-36dce652cb4f"] },
    responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" },
    responsePayload: { errorMessage: "RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request" },
  });
  const d = decodeDeadLetter({ MessageId: "m1", ReceiptHandle: "h", Body: body, Attributes: { ApproximateReceiveCount: "2", SentTimestamp: "1573755365568" } });
  assert.deepEqual(d.failure, {
    condition: "RetriesExhausted",
    functionArn: "arn:aws:lambda:us-east-1:123456789012:function:my-function:$LATEST",
    errorType: "Unhandled",
    errorMessage: "RequestId: e4b46cbf-b738-xmpl-8880-a18cdf61200e Process exited before completing request",
    source: "async-destination",
    requestId: "e4b46cbf-b738-xmpl-8880-a18cdf61200e",
    approximateInvokeCount: 3,
  });
  assert.equal(d.receiveCount, 2);
  assert.equal(d.sentAt, "2019-11-14T18:16:05.568Z");
  assert.equal(d.body, body, "the body is kept verbatim");
});

test("responsePayload.errorType wins over responseContext.functionError", () => {
  const f = decodeFailure({ requestContext: { condition: "EventAgeExceeded", functionArn: "arn:f" }, responseContext: { functionError: "Unhandled" }, responsePayload: { errorType: "TypeError", errorMessage: "x is undefined" } }, {});
  assert.equal(f?.errorType, "TypeError");
  assert.equal(f?.errorMessage, "x is undefined");
  assert.equal(f?.condition, "EventAgeExceeded");
});

test("Kinesis and DynamoDB stream on-failure records: the batch info is kept, no payload", () => {
  const kinesis = { requestContext: { requestId: "r", functionArn: "arn:aws:lambda:us-east-1:1:function:f", condition: "RetryAttemptsExhausted", approximateInvokeCount: 4 }, responseContext: { statusCode: 200, executedVersion: "$LATEST", functionError: "Unhandled" }, version: "1.0", timestamp: "2026-01-01T00:00:00Z", KinesisBatchInfo: { shardId: "shardId-000000000001", startSequenceNumber: "1", endSequenceNumber: "9", batchSize: 9, streamArn: "arn:aws:kinesis:us-east-1:1:stream/s" } };
  const f = decodeFailure(kinesis, {})!;
  assert.equal(f.source, "esm-on-failure");
  assert.equal(f.condition, "RetryAttemptsExhausted");
  assert.equal(f.errorType, "Unhandled");
  assert.equal(f.approximateInvokeCount, 4);
  assert.deepEqual(f.batchInfo, { kind: "KinesisBatchInfo", fields: kinesis.KinesisBatchInfo });
  const ddb = decodeFailure({ requestContext: { condition: "MaximumRecordAgeExceeded", functionArn: "arn:f" }, DDBStreamBatchInfo: { shardId: "s", batchSize: 1 } }, {})!;
  assert.equal(ddb.batchInfo?.kind, "DDBStreamBatchInfo");
  assert.equal(ddb.errorType, null);
});

test("async invocation DLQ: the raw event with RequestID / ErrorCode / ErrorMessage attributes", () => {
  const d = decodeDeadLetter({
    MessageId: "m",
    ReceiptHandle: "h",
    Body: '{"detail":1}',
    MessageAttributes: { RequestID: { DataType: "String", StringValue: "req" }, ErrorCode: { DataType: "Number", StringValue: "200" }, ErrorMessage: { DataType: "String", StringValue: "boom" } },
  });
  assert.deepEqual(d.messageAttributes, { RequestID: "req", ErrorCode: "200", ErrorMessage: "boom" });
  assert.equal(d.failure?.source, "async-dlq");
  assert.equal(d.failure?.errorMessage, "boom");
  assert.equal(d.failure?.errorType, "ErrorCode 200");
  assert.deepEqual(d.json, { detail: 1 });
});

test("plain and hostile bodies stay text; binary attributes are base64; no failure invented", () => {
  const html = '<img src=x onerror="alert(1)">';
  const d = decodeDeadLetter({ MessageId: "m", ReceiptHandle: "h", Body: html, MessageAttributes: { b: { DataType: "Binary", BinaryValue: new Uint8Array([1, 2, 3]) } }, Attributes: { MessageGroupId: "g1" } });
  assert.equal(d.body, html);
  assert.equal(d.json, undefined);
  assert.equal(d.failure, undefined);
  assert.equal(d.messageAttributes.b, "base64:AQID");
  assert.equal(d.messageGroupId, "g1");
  assert.equal(parseJsonBody("{not json"), undefined);
  assert.equal(parseJsonBody("42"), undefined, "only objects and arrays are pretty-printed");
  assert.deepEqual(parseJsonBody(" [1,2]"), [1, 2]);
});

test("oldest age from SentTimestamp", () => {
  const now = Date.parse("2026-01-01T00:10:00Z");
  assert.equal(oldestAgeSeconds([{ sentAt: "2026-01-01T00:09:00Z" }, { sentAt: "2026-01-01T00:00:00Z" }, { sentAt: null }], now), 600);
  assert.equal(oldestAgeSeconds([{ sentAt: null }], now), null);
});

test("DLQs from the model: redrive, function DLQ, async and trigger on-failure destinations", () => {
  const doc = TopologySchema.parse({
    schemaVersion: 1,
    name: "t",
    nodes: [
      { id: "q", kind: "queue", name: "Q", redrive: { deadLetterQueueId: "q-dlq", maxReceiveCount: 5 } },
      { id: "q-dlq", kind: "queue", name: "Q DLQ", redrive: { deadLetterQueueId: "last", maxReceiveCount: 3 } },
      { id: "last", kind: "queue", name: "Last resort" },
      { id: "s", kind: "stream", name: "S" },
      { id: "f", kind: "function", name: "F", asyncInvoke: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 60, onFailureDestinationId: "fail" } },
      { id: "fail", kind: "queue", name: "Failures" },
      { id: "t", kind: "sns-topic", name: "T" },
      { id: "g", kind: "function", name: "G", deadLetterQueueId: "t" },
    ],
    edges: [{ id: "s-f", kind: "trigger", source: "s", target: "f", onFailureDestinationId: "fail" }],
  });
  const list = listDeadLetterQueues(doc);
  assert.deepEqual(list.map((d) => d.nodeId), ["q-dlq", "last", "fail"], "an SNS topic DLQ is not a queue to browse");
  assert.deepEqual(list[0].ownRedrive, { deadLetterQueueId: "last", maxReceiveCount: 3 });
  assert.equal(list[0].defaultDestinationNodeId, "q");
  assert.deepEqual(list[2].sources, [
    { nodeId: "f", name: "F", relation: "async-on-failure" },
    { nodeId: "f", name: "S → F", relation: "trigger-on-failure", edgeId: "s-f" },
  ]);
  assert.equal(list[2].defaultDestinationNodeId, null);
  assert.throws(() => getDeadLetterQueueOrThrow(doc, "q"), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E150" && /not a dead-letter queue/.test(e.message));
  assert.deepEqual(resolveRedriveTarget(doc, list[0], undefined), { kind: "sources", nodeId: "q" });
  assert.deepEqual(resolveRedriveTarget(doc, list[2], "q"), { kind: "chosen", nodeId: "q" });
  assert.throws(() => resolveRedriveTarget(doc, list[2], undefined), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E153");
});

test("FIFO DLQs redrive only into FIFO queues", () => {
  const doc = dlqTopology();
  doc.nodes.push(TopologySchema.parse({ schemaVersion: 1, name: "x", nodes: [{ id: "fifo-q", kind: "queue", name: "F", fifo: true }] }).nodes[0]);
  const info = getDeadLetterQueueOrThrow(doc, "orders-dlq");
  assert.throws(() => resolveRedriveTarget(doc, info, "fifo-q"), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E154");
});
