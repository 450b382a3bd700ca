/** The SQS message-move wire endpoint, driven by the real AWS SDK v3 client: start, list, cancel, refusals. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { CancelMessageMoveTaskCommand, ListMessageMoveTasksCommand, StartMessageMoveTaskCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { startMoveWireEndpoint, type MoveWireEndpoint } from "../wire/server";
import { createPair, depthOf, fill, startFauxqs, waitFor, type Fauxqs } from "./helpers";

let fq: Fauxqs;
let wire: MoveWireEndpoint;
let sqs: SQSClient;
before(async () => {
  fq = await startFauxqs();
  wire = await startMoveWireEndpoint({ upstream: fq.endpoint, batchDelayMs: 40 });
  sqs = fq.client(wire.endpoint);
});
after(async () => {
  await wire.stop();
  await fq.stop();
});

const arnOf = (url: string) => `arn:aws:sqs:us-east-1:000000000000:${url.split("/").at(-1)}`;

test("StartMessageMoveTask → RUNNING with a handle → CancelMessageMoveTask → CANCELLED; one task per source", async () => {
  const { source, dlq, dlqArn } = await createPair(fq.sqs, "wire-cancel");
  await fill(fq.sqs, dlq, 100);
  const { TaskHandle } = await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 50 }));
  assert.ok(TaskHandle);
  await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn })), (e: Error) => e.name === "UnsupportedOperation");
  const running = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn, MaxResults: 10 }))).Results!;
  assert.equal(running.length, 1);
  assert.equal(running[0].Status, "RUNNING");
  assert.equal(running[0].TaskHandle, TaskHandle);
  assert.equal(running[0].DestinationArn, arnOf(source));
  assert.equal(running[0].ApproximateNumberOfMessagesToMove, 100);
  assert.equal(typeof running[0].StartedTimestamp, "number");
  await waitFor("some messages to move", async () => (await depthOf(fq.sqs, source)).visible >= 10);
  const { ApproximateNumberOfMessagesMoved } = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  assert.ok(ApproximateNumberOfMessagesMoved! >= 10 && ApproximateNumberOfMessagesMoved! < 100);
  const done = await waitFor("the cancel", async () => {
    const r = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn }))).Results![0];
    return r.Status === "CANCELLED" && r;
  });
  assert.equal(done.TaskHandle, undefined, "only running tasks carry a handle");
  const src = await depthOf(fq.sqs, source);
  const left = await depthOf(fq.sqs, dlq);
  assert.equal(src.visible + left.visible + left.inFlight, 100, "cancelled midway: every message is in one queue or the other");
});

test("refusals: not a DLQ, unknown queue, MaxNumberOfMessagesPerSecond out of range", async () => {
  const { source } = await createPair(fq.sqs, "wire-bad");
  await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf(source) })), (e: Error) => e.name === "UnsupportedOperation" && /Dead Letter Queue/.test(e.message));
  await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: arnOf("http://x/000000000000/nope") })), (e: Error) => e.name === "ResourceNotFoundException");
  const { dlqArn } = await createPair(fq.sqs, "wire-rate");
  await assert.rejects(sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlqArn, MaxNumberOfMessagesPerSecond: 501 })), (e: Error) => e.name === "InvalidParameterValue");
});

test("AccessDenied names the IAM action; other operations pass through to fauxqs", async () => {
  const { dlqArn, dlq } = await createPair(fq.sqs, "wire-deny");
  wire.setDenied(["ListMessageMoveTasks"]);
  try {
    await assert.rejects(sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlqArn })), (e: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(e.$metadata?.httpStatusCode, 403);
      assert.match(e.message, /not authorized to perform: sqs:ListMessageMoveTasks/);
      return true;
    });
  } finally {
    wire.setDenied([]);
  }
  assert.deepEqual(await depthOf(sqs, dlq), { visible: 0, inFlight: 0 });
});
