/** Peek, delete and purge against fauxqs (the sandbox's SQS), through the AWS SDK v3 client. */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { TopoError } from "../../../errors";
import { decodeDeadLetter } from "../decode";
import { deleteMessageById, peekMessages, purgeQueue } from "../sqs";
import { createPair, depthOf, drainNumbers, fill, startFauxqs, type Fauxqs } from "./helpers";

let fq: Fauxqs;
before(async () => {
  fq = await startFauxqs();
});
after(async () => {
  await fq.stop();
});

test("peek returns up to max messages without consuming them, and each peek raises the receive count by one", async () => {
  const { dlq } = await createPair(fq.sqs, "peek");
  await fill(fq.sqs, dlq, 25);
  const first = await peekMessages(fq.sqs, dlq, { max: 23 });
  assert.equal(first.length, 23);
  assert.equal(new Set(first.map((m) => m.MessageId)).size, 23, "no message twice within one peek (pages hold what they received)");
  assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 25, inFlight: 0 }, "released at once: all visible again");
  const all = await peekMessages(fq.sqs, dlq, { max: 100 });
  assert.equal(all.length, 25);
  const counts = all.map((m) => decodeDeadLetter(m).receiveCount);
  const peekedTwice = all.filter((m) => first.some((f) => f.MessageId === m.MessageId)).length;
  assert.equal(peekedTwice, 23);
  assert.equal(counts.filter((c) => c === 2).length, 23);
  assert.equal(counts.filter((c) => c === 1).length, 2);
  assert.equal(all.every((m) => m.MessageAttributes?.origin?.StringValue?.startsWith("test-")), true, "message attributes come along");
  assert.deepEqual((await drainNumbers(fq.sqs, dlq)).sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i), "nothing was consumed");
});

test("a message moved by the source queue's redrive policy keeps its receive count; peek shows it", async () => {
  const { source, dlq } = await createPair(fq.sqs, "moved");
  await fq.sqs.send(new SendMessageCommand({ QueueUrl: source, MessageBody: '{"poison":true}' }));
  // maxReceiveCount 2: the third receive moves it to the DLQ.
  for (let i = 0; i < 3; i++) await fq.sqs.send(new ReceiveMessageCommand({ QueueUrl: source, VisibilityTimeout: 0, WaitTimeSeconds: 0 }));
  const [m] = await peekMessages(fq.sqs, dlq, { max: 10 });
  assert.ok(m, "the poison message reached the DLQ");
  const d = decodeDeadLetter(m);
  assert.deepEqual(d.json, { poison: true });
  assert.ok(d.receiveCount >= 3, `receive count carried into the DLQ (${d.receiveCount})`);
  assert.ok(d.sentAt && Date.parse(d.sentAt) <= Date.now());
});

test("delete one message: by id, with a fresh receipt handle, others released; unknown id → TOPO-E152", async () => {
  const { dlq } = await createPair(fq.sqs, "del");
  await fill(fq.sqs, dlq, 15);
  const peeked = await peekMessages(fq.sqs, dlq, { max: 15 });
  const victim = peeked.find((m) => JSON.parse(m.Body!).n === 11)!;
  // The peek released it, so its handle is stale; the delete finds the message afresh.
  await deleteMessageById(fq.sqs, dlq, victim.MessageId!);
  assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 14, inFlight: 0 });
  const rest = (await drainNumbers(fq.sqs, dlq)).sort((a, b) => a - b);
  assert.deepEqual(rest, Array.from({ length: 15 }, (_, i) => i).filter((i) => i !== 11));
  await assert.rejects(deleteMessageById(fq.sqs, dlq, "no-such-id"), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E152");
});

test("purge empties the queue", async () => {
  const { dlq } = await createPair(fq.sqs, "purge");
  await fill(fq.sqs, dlq, 12);
  await purgeQueue(fq.sqs, dlq);
  assert.deepEqual(await depthOf(fq.sqs, dlq), { visible: 0, inFlight: 0 });
});

test("an unknown queue is a not-found TopoError, not a stack trace", async () => {
  await assert.rejects(peekMessages(fq.sqs, fq.endpoint + "/000000000000/missing", { max: 1 }), (e: unknown) => e instanceof TopoError && e.code === "TOPO-E128");
});
