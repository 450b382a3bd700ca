import { test } from "node:test";
import assert from "node:assert/strict";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { TopologySchema } from "../../model/schema";
import { startSandbox } from "../sandbox";

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type KRec = { kinesis: { data: string; sequenceNumber: string } };
const bodies = (ev: unknown) => (ev as { Records: KRec[] }).Records.map((r) => Buffer.from(r.kinesis.data, "base64").toString());

test("kinesis trigger: TRIM_HORIZON, batch size, bisect isolates the poison record, which goes to the on-failure queue after its retries", async () => {
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "k",
    nodes: [
      { id: "clicks", kind: "stream", name: "Clicks", shardCount: 1 },
      { id: "failed", kind: "queue", name: "Failed" },
      { id: "agg", kind: "function", name: "agg", simulate: { latencyMs: 1, initMs: 0, poisonMarker: "POISON" } },
    ],
    edges: [
      {
        id: "clicks-agg",
        kind: "trigger",
        source: "clicks",
        target: "agg",
        batchSize: 4,
        startingPosition: "TRIM_HORIZON",
        bisectBatchOnFunctionError: true,
        maximumRetryAttempts: 1,
        onFailureDestinationId: "failed",
      },
    ],
  });
  const ok: string[] = [];
  const calls: string[][] = [];
  const sb = await startSandbox(t, {
    onReport: (_f, r, ev) => {
      calls.push(bodies(ev));
      if (r.status === "success") ok.push(...bodies(ev));
    },
  });
  try {
    for (const b of ["a", "b", "POISON", "d", "e", "f"]) await sb.send("clicks", b);
    await waitFor("5 good records processed", () => ok.length >= 5);
    await waitFor("the failure record", async () => (await sb.summary()).queues.failed.depth === 1);
    assert.deepEqual([...ok].sort(), ["a", "b", "d", "e", "f"], "every good record succeeds exactly once");
    // The poison record alone was invoked 1 + maximumRetryAttempts times.
    assert.equal(calls.filter((c) => c.length === 1 && c[0] === "POISON").length, 2);
    const m = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get("failed")!, MaxNumberOfMessages: 10 }));
    assert.equal(m.Messages?.length, 1);
    const rec = JSON.parse(m.Messages![0].Body!);
    assert.equal(rec.requestContext.condition, "RetryAttemptsExhausted");
    assert.equal(rec.requestContext.approximateInvokeCount, 2);
    assert.equal(rec.KinesisBatchInfo.batchSize, 1);
    assert.equal(rec.KinesisBatchInfo.startSequenceNumber, rec.KinesisBatchInfo.endSequenceNumber);
    assert.match(rec.KinesisBatchInfo.streamArn, /^arn:aws:kinesis:us-east-1:\d+:stream\/clicks$/);
    assert.ok(calls.every((c) => c.length <= 4), "batch size honoured");
    const s = await sb.summary();
    assert.equal(s.triggers["clicks-agg"].driven, true);
    assert.equal(s.triggers["clicks-agg"].lagUnit, "ms");
    // Iterator age per shard; the trigger's figure is the oldest shard's.
    const shards = s.triggers["clicks-agg"].partitions!;
    assert.deepEqual(Object.keys(shards), ["shardId-000000000000"]);
    assert.equal(Math.max(...Object.values(shards)) <= s.triggers["clicks-agg"].lag + 50, true);
  } finally {
    await sb.stop();
  }
});

test("kinesis trigger: a partial batch response checkpoints before the first failed record and retries from it", async () => {
  // Fails record "x2" on its first delivery only (module state lives in the warm environment).
  const inlineSource = `
    const seen = new Set();
    export async function handler(event) {
      const failed = [];
      for (const r of event.Records) {
        const body = Buffer.from(r.kinesis.data, "base64").toString();
        if (body === "x2" && !seen.has(body)) { seen.add(body); failed.push({ itemIdentifier: r.kinesis.sequenceNumber }); }
      }
      return { batchItemFailures: failed };
    }`;
  const t = TopologySchema.parse({
    schemaVersion: 1,
    name: "k2",
    nodes: [
      { id: "s", kind: "stream", name: "S", shardCount: 1 },
      { id: "fn", kind: "function", name: "fn", inlineSource, simulate: { initMs: 0 } },
    ],
    edges: [{ id: "s-fn", kind: "trigger", source: "s", target: "fn", batchSize: 10, startingPosition: "LATEST", reportBatchItemFailures: true }],
  });
  const calls: string[][] = [];
  const sb = await startSandbox(t, { onReport: (_f, _r, ev) => calls.push(bodies(ev)) });
  try {
    const { PutRecordsCommand } = await import("@aws-sdk/client-kinesis");
    await sb.kinesis.send(new PutRecordsCommand({ StreamName: "s", Records: ["x1", "x2", "x3"].map((b) => ({ Data: Buffer.from(b), PartitionKey: "k" })) }));
    await waitFor("2 invocations", () => calls.length >= 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(calls, [["x1", "x2", "x3"], ["x2", "x3"]]);
    assert.equal(sb.runtimes.get("fn")!.stats.errors, 0);
  } finally {
    await sb.stop();
  }
});
