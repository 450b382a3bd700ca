import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReceiveMessageCommand } from "@aws-sdk/client-sqs";
import { FunctionNodeSchema, TopologySchema, type Topology } from "../../model/schema";
import { startSandbox, type Sandbox, type SandboxOptions } from "../sandbox";
import { LocalKafkaLog } from "../kafka-log";
import { LogStore } from "../logs/store";
import { FunctionRuntime } from "../runtime/function-runtime";
import { parseReportLine } from "../report";
import type { InvokeResult } from "../runtime/function-runtime";

const topo = (nodes: unknown[], edges: unknown[]): Topology => TopologySchema.parse({ schemaVersion: 1, name: "t", nodes, edges });
const fast = { latencyMs: 0, initMs: 0 };

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function withSandbox(t: Topology, opts: SandboxOptions, body: (sb: Sandbox) => Promise<void>) {
  const sb = await startSandbox(t, { pollWaitSeconds: 0.2, kinesisPollIntervalMs: 20, ...opts });
  try {
    await body(sb);
  } finally {
    await sb.stop();
  }
}

test("DynamoDB stream trigger: table writes → stream records (NEW_AND_OLD_IMAGES) → poller with filter criteria, retries and the on-failure destination", async () => {
  const calls: { event: any; r: InvokeResult }[] = [];
  const t = topo(
    [
      { id: "orders", kind: "table", name: "Orders", partitionKey: { name: "id", type: "S" }, stream: { viewType: "NEW_AND_OLD_IMAGES" } },
      { id: "f", kind: "function", name: "f", simulate: { ...fast, poisonMarker: "BAD" } },
      { id: "failed", kind: "queue", name: "Failed" },
    ],
    [
      {
        id: "orders-f",
        kind: "trigger",
        source: "orders",
        target: "f",
        batchSize: 1,
        startingPosition: "TRIM_HORIZON",
        maximumRetryAttempts: 1,
        onFailureDestinationId: "failed",
        filterCriteria: { patterns: ['{"eventName": ["INSERT"]}'] },
      },
    ],
  );
  await withSandbox(t, { onReport: (_f, r, event) => calls.push({ event, r }) }, async (sb) => {
    await sb.send("orders", JSON.stringify({ id: "a", n: 1 }));
    await sb.send("orders", JSON.stringify({ id: "a", n: 2 })); // MODIFY: filtered out
    await sb.send("orders", JSON.stringify({ id: "b", note: "BAD" }));
    let failure: any;
    await waitFor("the on-failure record", async () => {
      const r = await sb.sqs.send(new ReceiveMessageCommand({ QueueUrl: sb.queueUrls.get("failed")!, MaxNumberOfMessages: 10 }));
      failure = r.Messages?.[0] && JSON.parse(r.Messages[0].Body!);
      return !!failure;
    });
    assert.equal(calls.length, 3, "a once, b twice (1 retry)");
    const first = calls[0].event.Records[0];
    assert.equal(first.eventSource, "aws:dynamodb");
    assert.equal(first.eventName, "INSERT");
    assert.equal(first.eventVersion, "1.1");
    assert.match(first.eventSourceARN, /^arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/stream\/\d{4}-/);
    assert.deepEqual(first.dynamodb.Keys, { id: { S: "a" } });
    assert.deepEqual(first.dynamodb.NewImage, { id: { S: "a" }, n: { N: "1" } });
    assert.equal(first.dynamodb.StreamViewType, "NEW_AND_OLD_IMAGES");
    assert.equal(typeof first.dynamodb.SequenceNumber, "string");
    assert.deepEqual(calls.map((c) => [c.event.Records[0].dynamodb.Keys.id.S, c.r.status]), [
      ["a", "success"],
      ["b", "error"],
      ["b", "error"],
    ]);
    assert.equal(failure.requestContext.condition, "RetryAttemptsExhausted");
    assert.equal(failure.requestContext.approximateInvokeCount, 2);
    assert.equal(failure.DDBStreamBatchInfo.batchSize, 1);
    assert.equal(failure.DDBStreamBatchInfo.streamArn, first.eventSourceARN);
    assert.equal(sb.tables.get("orders")!.get({ id: "a" })!.n, 2, "the MODIFY was written");
    const s = await sb.summary();
    assert.deepEqual([s.functions.f.invocations, s.functions.f.errors], [3, 2]);
    assert.equal(s.triggers["orders-f"].driven, true);
  });
});

test("Kafka: filter criteria on the value; the local log and committed offsets persist under dataDir across restarts", async () => {
  const dir = mkdtempSync(join(tmpdir(), "topo-kafka-"));
  try {
    const t = topo(
      [
        { id: "events", kind: "kafka-topic", name: "Events", topic: "events", partitions: 2 },
        { id: "f", kind: "function", name: "f", simulate: fast },
      ],
      [{ id: "events-f", kind: "trigger", source: "events", target: "f", startingPosition: "TRIM_HORIZON", consumerGroupId: "g1", filterCriteria: { patterns: ['{"value": {"keep": [true]}}'] } }],
    );
    const seen: unknown[] = [];
    await withSandbox(t, { dataDir: dir, onReport: (_f, _r, e: any) => { for (const l of Object.values(e.records) as any[]) for (const r of l) seen.push(JSON.parse(Buffer.from(r.value, "base64").toString())); } }, async (sb) => {
      for (let i = 0; i < 6; i++) await sb.send("events", JSON.stringify({ i, keep: i % 2 === 0 }));
      await waitFor("lag 0", async () => (await sb.summary()).triggers["events-f"].lag === 0);
      assert.deepEqual((seen as { i: number }[]).map((x) => x.i).sort(), [0, 2, 4]);
    });
    // Restart on the same data directory: 6 records still there, group g1 committed all of them (lag 0, no re-delivery).
    seen.length = 0;
    await withSandbox(t, { dataDir: dir }, async (sb) => {
      assert.equal(sb.kafka.endOffset("events", 0) + sb.kafka.endOffset("events", 1), 6);
      assert.equal(sb.kafka.lag("g1", "events").total, 0);
      await sb.send("events", JSON.stringify({ i: 6, keep: true }));
      await waitFor("lag 0", async () => (await sb.summary()).triggers["events-f"].lag === 0);
    });
    // A group that never consumed sees all 7 as lag after a reload of the log alone.
    const log = new LocalKafkaLog(join(dir, "kafka"));
    log.createTopic("events", 2);
    assert.equal(log.lag("other", "events").total, 7);
    assert.equal(log.lag("g1", "events").total, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("memory limit: an inline handler that outgrows memoryMb dies as Runtime.OutOfMemory, REPORT Max Memory Used = Memory Size, next call is cold", async () => {
  const logs = new LogStore();
  const fn = FunctionNodeSchema.parse({
    id: "hog",
    kind: "function",
    name: "hog",
    memoryMb: 128,
    timeoutSeconds: 20,
    simulate: { initMs: 0 },
    inlineSource: "export async function handler(e) { if (!e.hog) return { ok: true }; const keep = []; for (;;) keep.push(new Array(1e5).fill(Math.random())); }",
  });
  const rt = new FunctionRuntime(fn, { logs });
  try {
    const ok = await rt.invoke({});
    assert.equal(ok.status, "success");
    const r = await rt.invoke({ hog: true });
    assert.equal(r.status, "error");
    assert.equal(r.errorType, "Runtime.OutOfMemory");
    const again = await rt.invoke({});
    assert.deepEqual([again.status, again.coldStart], ["success", true]);
    const reports = logs.filterLogEvents({ logGroupName: "/aws/lambda/hog", filterPattern: "REPORT" }).events.map((e) => parseReportLine(e.message)!);
    const oom = reports.find((p) => p.requestId === r.requestId)!;
    assert.deepEqual([oom.status, oom.errorType, oom.memorySizeMb, oom.maxMemoryUsedMb], ["error", "Runtime.OutOfMemory", 128, 128]);
    assert.equal(reports.find((p) => p.requestId === ok.requestId)!.maxMemoryUsedMb, 64);
    assert.deepEqual(rt.stats, { invocations: 3, coldStarts: 2, errors: 1, throttles: 0, timeouts: 0 });
  } finally {
    rt.close();
  }
});

test("batching window: Kinesis and Kafka triggers gather records for maximumBatchingWindowSeconds (or until batchSize)", async () => {
  const batches = new Map<string, number[]>();
  const t = topo(
    [
      { id: "s", kind: "stream", name: "S", shardCount: 1 },
      { id: "k", kind: "kafka-topic", name: "K", topic: "k", partitions: 1 },
      { id: "fs", kind: "function", name: "fs", simulate: fast },
      { id: "fk", kind: "function", name: "fk", simulate: fast },
    ],
    [
      { id: "s-fs", kind: "trigger", source: "s", target: "fs", batchSize: 100, startingPosition: "TRIM_HORIZON", maximumBatchingWindowSeconds: 1 },
      { id: "k-fk", kind: "trigger", source: "k", target: "fk", batchSize: 4, startingPosition: "TRIM_HORIZON", maximumBatchingWindowSeconds: 1 },
    ],
  );
  await withSandbox(
    t,
    {
      onReport: (fn, _r, e: any) => {
        const n = e.Records ? e.Records.length : Object.values(e.records as Record<string, unknown[]>).reduce((a, l) => a + l.length, 0);
        batches.set(fn.id, [...(batches.get(fn.id) ?? []), n]);
      },
    },
    async (sb) => {
      for (let i = 0; i < 3; i++) {
        await sb.send("s", JSON.stringify({ i }));
        await new Promise((r) => setTimeout(r, 100));
      }
      for (let i = 0; i < 6; i++) await sb.send("k", JSON.stringify({ i }));
      await waitFor("both batches", () => (batches.get("fs") ?? []).length >= 1 && (batches.get("fk") ?? []).reduce((a, b) => a + b, 0) === 6);
      assert.deepEqual(batches.get("fs"), [3], "three records 100 ms apart arrive in one batch within the 1 s window");
      assert.deepEqual(batches.get("fk"), [4, 2], "a full batch (batchSize 4) goes at once, the rest when the window closes");
    },
  );
});
